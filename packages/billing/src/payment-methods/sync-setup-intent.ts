import type { Clock } from "@paycron/core";
import { assertNotInTransaction, withTransaction, type SubscriptionStatus, type Tx } from "@paycron/db";
import type { Stripe } from "@paycron/stripe";
import type { BillingDeps } from "../deps.ts";
import { retryWithNewPaymentMethod } from "../dunning/retry-with-new-payment-method.ts";
import { paymentMethodDetails, type PaymentMethodDetails } from "./payment-method-details.ts";
import { stripeEventObject, stripeIdOf, type StripeEventInput, type StripeEventOutcome } from "./stripe-event-object.ts";

/** Subscriptions that can still be charged: the ones a new default payment method is for. */
const ENDED: SubscriptionStatus[] = ["canceled", "incomplete_expired"];

/**
 * `setup_intent.succeeded`: the customer saved a payment method. It becomes the customer's
 * default and the default of their live subscriptions, so the next billing run charges it.
 *
 * The PaymentMethod is read from Stripe before the transaction (the event carries its id only).
 * Stripe's answer also guards against a late event: a method Stripe no longer has on the
 * customer is not saved. A method whose detachment is already recorded stays detached (Stripe
 * never re-attaches a detached method, so an event saying otherwise is older than the detach).
 * Idempotent: a replay converges on the same rows.
 */
export async function syncSetupIntent(deps: BillingDeps, input: StripeEventInput): Promise<StripeEventOutcome> {
  const { object: setupIntent } = stripeEventObject<Stripe.SetupIntent>(input.event, "setup_intent");
  const stripeCustomerId = stripeIdOf(setupIntent.customer);
  if (!stripeCustomerId) return { ignored: "setup intent has no customer" };
  const customer = await deps.db.selectFrom("customers").select("id").where("stripe_customer_id", "=", stripeCustomerId).executeTakeFirst();
  if (!customer) return { ignored: "unknown customer" };
  if (!setupIntent.payment_method) return { ignored: "setup intent has no payment method" };

  const paymentMethod = await retrievePaymentMethod(deps, setupIntent.payment_method);
  if (!paymentMethod) return { ignored: "payment method does not exist at Stripe" };
  if (stripeIdOf(paymentMethod.customer) !== stripeCustomerId) return { ignored: "payment method is no longer attached to the customer" };
  const details = paymentMethodDetails(paymentMethod);
  if (!details) return { ignored: `unsupported payment method type ${paymentMethod.type}` };

  const outcome = await withTransaction(deps.db, (tx) => makeDefault(tx, deps.clock, customer.id, paymentMethod.id, details));
  if (outcome !== "processed") return outcome;
  deps.logger.info({ customerId: customer.id, stripePaymentMethodId: paymentMethod.id, setupIntentId: setupIntent.id }, "default payment method synced");
  return "processed";
}

async function retrievePaymentMethod(deps: BillingDeps, ref: string | Stripe.PaymentMethod): Promise<Stripe.PaymentMethod | null> {
  if (typeof ref !== "string") return ref;
  assertNotInTransaction(deps.db, "stripe.paymentMethods.retrieve");
  try {
    return await deps.stripe.paymentMethods.retrieve(ref);
  } catch (error) {
    if ((error as { code?: string }).code === "resource_missing") return null;
    throw error;
  }
}

async function makeDefault(tx: Tx, clock: Clock, customerId: string, stripePaymentMethodId: string, details: PaymentMethodDetails): Promise<StripeEventOutcome> {
  const now = clock.now();
  // Two setup intents of one customer at once: one moves the default at a time (the partial
  // unique index allows one live default per customer and would fail the slower one).
  await tx.selectFrom("customers").select("id").where("id", "=", customerId).forUpdate().execute();
  const saved = await tx
    .insertInto("payment_methods")
    .values({ customer_id: customerId, stripe_payment_method_id: stripePaymentMethodId, ...details, is_default: false, created_at: now, updated_at: now })
    .onConflict((oc) =>
      oc
        .column("stripe_payment_method_id")
        .doUpdateSet({ ...details, updated_at: now })
        // A detached method stays detached: the event saying it is attached is older than the detach.
        .where("payment_methods.detached_at", "is", null)
        .where("payment_methods.customer_id", "=", customerId),
    )
    .returning("id")
    .executeTakeFirst();
  if (!saved) {
    const existing = await tx.selectFrom("payment_methods").select(["detached_at"]).where("stripe_payment_method_id", "=", stripePaymentMethodId).executeTakeFirstOrThrow();
    return { ignored: existing.detached_at ? "payment method already detached" : "payment method belongs to another customer" };
  }

  // The old default first: the index allows no moment with two.
  await tx
    .updateTable("payment_methods")
    .set({ is_default: false, updated_at: now })
    .where("customer_id", "=", customerId)
    .where("is_default", "=", true)
    .where("id", "<>", saved.id)
    .execute();
  await tx.updateTable("payment_methods").set({ is_default: true, updated_at: now }).where("id", "=", saved.id).where("is_default", "=", false).execute();
  await tx
    .updateTable("subscriptions")
    .set({ default_payment_method_id: saved.id, updated_at: now })
    .where("customer_id", "=", customerId)
    .where("status", "not in", ENDED)
    .where((eb) => eb.or([eb("default_payment_method_id", "is", null), eb("default_payment_method_id", "<>", saved.id)]))
    .execute();
  await retryWithNewPaymentMethod(tx, { customerId, now, clock });
  return "processed";
}
