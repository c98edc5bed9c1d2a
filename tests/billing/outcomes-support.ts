import { expect } from "vitest";
import { withTransaction } from "@paycron/db";
import { advanceSubscriptionPeriod, applyPaymentIntent, claimBillingRun, executeBillingRun, issuePeriodInvoice, type PaymentIntentLike } from "@paycron/billing";
import { HOUR_MS, signUp, type BillingHarness, type SignUpOptions } from "./support.ts";

/*
 * Helpers for the outcome, dunning, incomplete and stale-payment tests: the steps a customer's
 * life takes through the real engine and the emulator, never a shortcut into a state.
 */

export type SignedUp = Awaited<ReturnType<typeof signUp>>;

/** A subscription whose first period was charged and paid: active, ready to renew. */
export async function activeSubscription(h: BillingHarness, options: SignUpOptions = {}): Promise<SignedUp> {
  const sub = await signUp(h, options);
  expect(await executeBillingRun(h.deps, { billingRunId: sub.billingRunId })).toMatchObject({ outcome: "charged", paymentStatus: "succeeded" });
  return sub;
}

/** Moves the clock an hour past the current period's end and opens the next: its attempt-1 run. */
export async function renewalRun(h: BillingHarness, subscriptionId: string): Promise<{ billingRunId: string; billingPeriodId: string }> {
  const subscription = await h.db.selectFrom("subscriptions").select("current_period_end").where("id", "=", subscriptionId).executeTakeFirstOrThrow();
  h.clock.set(subscription.current_period_end.getTime() + HOUR_MS);
  const advanced = await advanceSubscriptionPeriod(h.deps, { subscriptionId });
  if (advanced.outcome !== "advanced") throw new Error(`subscription ${subscriptionId} did not advance: ${JSON.stringify(advanced)}`);
  const opened = advanced.opened.at(-1)!;
  return { billingRunId: opened.billingRunId!, billingPeriodId: opened.billingPeriodId };
}

/**
 * The customer adds a payment method (a Stripe test method attached to their Stripe customer) and
 * makes it the subscription's default, as a card update does. Returns our payment_methods id.
 */
export async function replaceDefaultMethod(h: BillingHarness, sub: SignedUp, testMethod: string): Promise<{ id: string; stripeId: string }> {
  const pm = await h.stripe.paymentMethods.attach(testMethod, { customer: sub.stripeCustomerId });
  await h.db.updateTable("payment_methods").set({ is_default: false }).where("customer_id", "=", sub.customerId).execute();
  const row = await h.db
    .insertInto("payment_methods")
    .values({ customer_id: sub.customerId, stripe_payment_method_id: pm.id, type: pm.type as "card" | "us_bank_account", last4: pm.card?.last4 ?? pm.us_bank_account?.last4 ?? null, is_default: true })
    .returning("id")
    .executeTakeFirstOrThrow();
  await h.db.updateTable("subscriptions").set({ default_payment_method_id: row.id }).where("id", "=", sub.subscriptionId).execute();
  return { id: row.id, stripeId: pm.id };
}

interface EventLike {
  id: string;
  type: string;
  created: number;
  data: { object: PaymentIntentLike & { object: string } };
}

/** The emulator's payment_intent.* events of one PaymentIntent, oldest first. */
export function paymentIntentEvents(h: BillingHarness, paymentIntentId: string): EventLike[] {
  return (h.emulator.events() as unknown as EventLike[]).filter((e) => e.type.startsWith("payment_intent.") && e.data.object.id === paymentIntentId);
}

export function eventOf(h: BillingHarness, paymentIntentId: string, type: string): EventLike {
  const event = paymentIntentEvents(h, paymentIntentId).find((e) => e.type === type);
  if (!event) throw new Error(`no ${type} event for ${paymentIntentId}`);
  return event;
}

/** A webhook delivery, as the stripe-payment-intent-* tasks apply it. */
export function deliver(h: BillingHarness, event: EventLike) {
  return applyPaymentIntent(h.deps, { paymentIntent: event.data.object, observedAt: new Date(event.created * 1000) });
}

/**
 * A charge the customer confirms on session (a hosted invoice page, a card needing 3-D Secure):
 * the run is claimed and its invoice issued as executeBillingRun does, then the PaymentIntent is
 * confirmed without `off_session`, so a 3-D Secure card stops at `requires_action`.
 */
export async function chargeOnSession(h: BillingHarness, sub: SignedUp, billingRunId: string, stripePaymentMethodId: string, paymentMethodId: string) {
  const run = await claimBillingRun(h.db, { billingRunId, now: h.clock.now() });
  if (!run) throw new Error(`run ${billingRunId} not claimable`);
  const invoice = await withTransaction(h.db, async (tx) => {
    await tx.updateTable("billing_runs").set({ payment_method_id: paymentMethodId }).where("id", "=", billingRunId).execute();
    return (await issuePeriodInvoice(tx, { billingPeriodId: run.billing_period_id, now: h.clock.now() })).invoice;
  });
  const pi = await h.stripe.paymentIntents.create({
    amount: invoice.amount_due,
    currency: invoice.currency.toLowerCase(),
    customer: sub.stripeCustomerId,
    payment_method: stripePaymentMethodId,
    confirm: true,
    metadata: { billing_run_id: billingRunId, invoice_id: invoice.id, subscription_id: sub.subscriptionId },
  });
  await applyPaymentIntent(h.deps, { paymentIntent: pi, observedAt: h.clock.now() });
  return pi;
}

/** Undispatched-or-not outbox rows of one task whose payload names this id. */
export async function outboxRows(h: BillingHarness, taskId: string, payload: Record<string, string>) {
  const rows = await h.db.selectFrom("task_outbox").selectAll().where("task_id", "=", taskId).execute();
  return rows.filter((r) => Object.entries(payload).every(([k, v]) => (r.payload as Record<string, unknown>)[k] === v));
}
