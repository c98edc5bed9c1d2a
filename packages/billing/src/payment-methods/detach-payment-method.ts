import { withTransaction } from "@paycron/db";
import type { Stripe } from "@paycron/stripe";
import type { BillingDbDeps } from "../deps.ts";
import { stripeEventObject, type StripeEventInput, type StripeEventOutcome } from "./stripe-event-object.ts";

/**
 * `payment_method.detached`: the method can no longer be charged. It is marked detached (at the
 * event's time) and stops being the customer's default. The
 * subscriptions that used it as default or backup lose it: left without a method, a subscription
 * shows what is missing, and its billing run fails with that reason instead of charging a method
 * Stripe refuses. No other method is promoted in its place: which one to charge is the customer's
 * choice (a new setup intent makes one default again).
 */
export async function detachPaymentMethod(deps: BillingDbDeps, input: StripeEventInput): Promise<StripeEventOutcome> {
  const { object: paymentMethod, created } = stripeEventObject<Stripe.PaymentMethod>(input.event, "payment_method");
  const now = deps.clock.now();
  return withTransaction(deps.db, async (tx) => {
    const row = await tx
      .updateTable("payment_methods")
      .set({ detached_at: created, is_default: false, updated_at: now })
      .where("stripe_payment_method_id", "=", paymentMethod.id)
      .returning(["id", "customer_id"])
      .executeTakeFirst();
    if (!row) return { ignored: "unknown payment method" };
    const withoutDefault = await tx
      .updateTable("subscriptions")
      .set({ default_payment_method_id: null, updated_at: now })
      .where("default_payment_method_id", "=", row.id)
      .returning("id")
      .execute();
    const withoutBackup = await tx
      .updateTable("subscriptions")
      .set({ backup_payment_method_id: null, updated_at: now })
      .where("backup_payment_method_id", "=", row.id)
      .returning("id")
      .execute();
    const log = { paymentMethodId: row.id, customerId: row.customer_id, stripePaymentMethodId: paymentMethod.id };
    if (withoutDefault.length > 0) {
      deps.logger.warn({ ...log, subscriptionIds: withoutDefault.map((s) => s.id) }, "payment method detached: subscriptions left without a default payment method");
    }
    deps.logger.info({ ...log, backupsCleared: withoutBackup.length }, "payment method detached");
    return "processed";
  });
}
