import { describe, expect, it } from "vitest";
import { executeBillingRun, timeoutPayment } from "@paycron/billing";
import { chargesOf, DAY_MS, HOUR_MS, paymentIntentsOf, stateOf, useBilling } from "./support.ts";
import { activeSubscription, chargeOnSession, deliver, eventOf, renewalRun, replaceDefaultMethod } from "./outcomes-support.ts";

const h = useBilling();

async function paymentOf(billingRunId: string) {
  return h.db.selectFrom("payments").selectAll().where("billing_run_id", "=", billingRunId).executeTakeFirstOrThrow();
}

async function runsOfPeriod(billingPeriodId: string) {
  return h.db.selectFrom("billing_runs").selectAll().where("billing_period_id", "=", billingPeriodId).orderBy("attempt").execute();
}

describe("a renewal waiting for 3-D Secure (requires_action)", () => {
  it("is left alone inside the card window, then canceled at Stripe after it and failed into the ladder", async () => {
    const sub = await activeSubscription(h);
    const card = await replaceDefaultMethod(h, sub, "pm_card_authenticationRequired");
    const renewal = await renewalRun(h, sub.subscriptionId);
    const pi = await chargeOnSession(h, sub, renewal.billingRunId, card.stripeId, card.id);
    expect(pi.status).toBe("requires_action");
    const payment = await paymentOf(renewal.billingRunId);
    expect(payment).toMatchObject({ status: "requires_action", stripe_payment_intent_id: pi.id });
    expect((await runsOfPeriod(renewal.billingPeriodId))[0]).toMatchObject({ status: "awaiting_payment" });

    // The organization's card window is 24 hours (the default payment_timeout_hours).
    h.clock.set(payment.created_at.getTime() + 24 * HOUR_MS - 1);
    expect(await timeoutPayment(h.deps, { paymentId: payment.id })).toEqual({ outcome: "not_due" });
    expect(h.emulator.paymentIntents().find((p) => p.id === pi.id)).toMatchObject({ status: "requires_action" });

    h.clock.set(payment.created_at.getTime() + 24 * HOUR_MS);
    expect(await timeoutPayment(h.deps, { paymentId: payment.id })).toEqual({ outcome: "timed_out", status: "canceled" });

    expect(h.emulator.paymentIntents().find((p) => p.id === pi.id)).toMatchObject({ status: "canceled", cancellation_reason: "abandoned" });
    expect(await paymentOf(renewal.billingRunId)).toMatchObject({ status: "canceled" });
    const runs = await runsOfPeriod(renewal.billingPeriodId);
    expect(runs).toMatchObject([
      { attempt: 1, status: "failed" },
      { attempt: 2, status: "scheduled", scheduled_for: new Date(h.clock.now().getTime() + 3 * DAY_MS) },
    ]);
    const { subscription } = await stateOf(h, sub.subscriptionId);
    expect(subscription.status).toBe("past_due");
    // Stripe's payment_intent.canceled webhook, arriving after, changes nothing; a replay of the task neither.
    expect(await deliver(h, eventOf(h, pi.id, "payment_intent.canceled"))).toMatchObject({ applied: false, status: "canceled" });
    expect(await timeoutPayment(h.deps, { paymentId: payment.id })).toEqual({ outcome: "settled" });
    expect(await runsOfPeriod(renewal.billingPeriodId)).toHaveLength(2);
  });

  it("uses the organization's own card window", async () => {
    const sub = await activeSubscription(h, { organization: { payment_timeout_hours: { card: 2 } } });
    const card = await replaceDefaultMethod(h, sub, "pm_card_authenticationRequired");
    const renewal = await renewalRun(h, sub.subscriptionId);
    await chargeOnSession(h, sub, renewal.billingRunId, card.stripeId, card.id);
    const payment = await paymentOf(renewal.billingRunId);
    h.clock.advance(2 * HOUR_MS);
    expect(await timeoutPayment(h.deps, { paymentId: payment.id })).toEqual({ outcome: "timed_out", status: "canceled" });
  });
});

describe("a bank debit still processing", () => {
  /** An active subscription that renews on a US bank account, the debit processing. */
  async function processingRenewal(options: Parameters<typeof activeSubscription>[1] = {}) {
    const sub = await activeSubscription(h, options);
    await replaceDefaultMethod(h, sub, "pm_usBankAccount");
    const renewal = await renewalRun(h, sub.subscriptionId);
    expect(await executeBillingRun(h.deps, { billingRunId: renewal.billingRunId })).toMatchObject({ paymentStatus: "processing" });
    const payment = await paymentOf(renewal.billingRunId);
    const [pi] = paymentIntentsOf(h, renewal.billingRunId);
    return { sub, renewal, payment, pi: pi! };
  }

  it("fails with processing_timeout after its window, and a success arriving after the timeout is still applied: paid once, the retry aborted, no second charge", async () => {
    // The emulator settles ACH after 4 days; this organization gives bank debits 2.
    const { sub, renewal, payment, pi } = await processingRenewal({ organization: { payment_timeout_hours: { card: 24, us_bank_account: 48 } } });
    h.clock.set(payment.created_at.getTime() + 48 * HOUR_MS - 1);
    expect(await timeoutPayment(h.deps, { paymentId: payment.id })).toEqual({ outcome: "not_due" });

    h.clock.set(payment.created_at.getTime() + 48 * HOUR_MS);
    expect(await timeoutPayment(h.deps, { paymentId: payment.id })).toEqual({ outcome: "timed_out", status: "failed" });
    expect(await paymentOf(renewal.billingRunId)).toMatchObject({ status: "failed", failure_code: "processing_timeout" });
    const [, retry] = await runsOfPeriod(renewal.billingPeriodId);
    expect(retry).toMatchObject({ attempt: 2, status: "scheduled" });
    expect((await stateOf(h, sub.subscriptionId)).subscription.status).toBe("past_due");

    // The debit settles at Stripe after all, before the retry's time.
    h.clock.set(payment.created_at.getTime() + 4 * DAY_MS + HOUR_MS);
    expect(retry!.scheduled_for.getTime()).toBeGreaterThan(h.clock.now().getTime());
    expect(h.emulator.settle()).toBe(1);
    expect(await deliver(h, eventOf(h, pi.id, "payment_intent.succeeded"))).toMatchObject({ applied: true, from: "failed", to: "succeeded" });

    const { subscription, invoices } = await stateOf(h, sub.subscriptionId);
    expect(await paymentOf(renewal.billingRunId)).toMatchObject({ status: "succeeded", failure_code: null });
    expect(invoices.find((i) => i.billing_period_id === renewal.billingPeriodId)).toMatchObject({ status: "paid", amount_paid: 4900, amount_due: 0 });
    expect(await runsOfPeriod(renewal.billingPeriodId)).toMatchObject([{ status: "failed" }, { status: "aborted" }]);
    expect(subscription.status).toBe("active");
    // The retry's task, when it comes, charges nothing.
    h.clock.set(retry!.scheduled_for);
    expect(await executeBillingRun(h.deps, { billingRunId: retry!.id })).toEqual({ outcome: "not_claimed", status: "aborted" });
    expect(paymentIntentsOf(h, retry!.id)).toEqual([]);
    expect(chargesOf(h, sub.stripeCustomerId)).toHaveLength(2);
    // The success delivered again: counted once.
    expect(await deliver(h, eventOf(h, pi.id, "payment_intent.succeeded"))).toMatchObject({ applied: false });
    expect((await stateOf(h, sub.subscriptionId)).invoices.find((i) => i.billing_period_id === renewal.billingPeriodId)).toMatchObject({ amount_paid: 4900 });
  });

  it("a retry waits while the timed-out debit is still processing at Stripe, so its late success is never a second charge", async () => {
    const { sub, renewal, payment, pi } = await processingRenewal({
      backupCard: "pm_card_visa",
      organization: { payment_timeout_hours: { card: 24, us_bank_account: 24 }, dunning_retry_days: [1] },
    });
    h.clock.set(payment.created_at.getTime() + 24 * HOUR_MS);
    expect(await timeoutPayment(h.deps, { paymentId: payment.id })).toMatchObject({ outcome: "timed_out" });
    const [, retry] = await runsOfPeriod(renewal.billingPeriodId);
    h.clock.set(retry!.scheduled_for);
    const held = await executeBillingRun(h.deps, { billingRunId: retry!.id });
    expect(held).toMatchObject({ outcome: "held", reason: "earlier_payment_processing" });
    expect(paymentIntentsOf(h, retry!.id)).toEqual([]);
    const [, waiting] = await runsOfPeriod(renewal.billingPeriodId);
    expect(waiting).toMatchObject({ status: "scheduled", lease_until: null });

    // The debit settles; when the retry comes due again Stripe says so, and nothing is charged.
    h.clock.set(payment.created_at.getTime() + 4 * DAY_MS + HOUR_MS);
    expect(h.emulator.settle()).toBe(1);
    expect(await executeBillingRun(h.deps, { billingRunId: retry!.id })).toMatchObject({ outcome: "aborted", reason: "invoice_paid" });

    expect(paymentIntentsOf(h, retry!.id)).toEqual([]);
    const { subscription, invoices, payments } = await stateOf(h, sub.subscriptionId);
    const invoice = invoices.find((i) => i.billing_period_id === renewal.billingPeriodId)!;
    expect(invoice).toMatchObject({ status: "paid", amount_paid: 4900, amount_due: 0 });
    expect(payments.filter((p) => p.invoice_id === invoice.id)).toMatchObject([{ status: "succeeded", stripe_payment_intent_id: pi.id }]);
    expect(subscription.status).toBe("active");
    // The late webhook, whenever it arrives, changes nothing.
    expect(await deliver(h, eventOf(h, pi.id, "payment_intent.succeeded"))).toMatchObject({ applied: false });
  });

  it("inside the default 168-hour bank window it is not due even once settled at Stripe; after it, the missed webhook is reconciled", async () => {
    const { sub, renewal, payment } = await processingRenewal();
    h.clock.set(payment.created_at.getTime() + 168 * HOUR_MS - 1);
    expect(await timeoutPayment(h.deps, { paymentId: payment.id })).toEqual({ outcome: "not_due" });

    // The payment_intent.succeeded webhook never arrived.
    h.clock.set(payment.created_at.getTime() + 168 * HOUR_MS);
    expect(await timeoutPayment(h.deps, { paymentId: payment.id })).toEqual({ outcome: "reconciled", status: "succeeded" });
    expect(await paymentOf(renewal.billingRunId)).toMatchObject({ status: "succeeded" });
    const { subscription, invoices, runs } = await stateOf(h, sub.subscriptionId);
    expect(invoices.find((i) => i.billing_period_id === renewal.billingPeriodId)).toMatchObject({ status: "paid", amount_paid: 4900 });
    expect(runs.filter((r) => r.billing_period_id === renewal.billingPeriodId)).toMatchObject([{ status: "succeeded" }]);
    expect(subscription.status).toBe("active");
  });

  it("a bank debit that fails at Stripe while our webhook was missed is reconciled as failed into the ladder", async () => {
    const sub = await activeSubscription(h);
    await replaceDefaultMethod(h, sub, "pm_usBankAccount_insufficientFunds");
    const renewal = await renewalRun(h, sub.subscriptionId);
    await executeBillingRun(h.deps, { billingRunId: renewal.billingRunId });
    const payment = await paymentOf(renewal.billingRunId);
    h.clock.set(payment.created_at.getTime() + 168 * HOUR_MS);
    expect(await timeoutPayment(h.deps, { paymentId: payment.id })).toEqual({ outcome: "reconciled", status: "failed" });
    expect(await paymentOf(renewal.billingRunId)).toMatchObject({ status: "failed", failure_code: "insufficient_funds" });
    expect(await runsOfPeriod(renewal.billingPeriodId)).toMatchObject([{ status: "failed" }, { attempt: 2, status: "scheduled" }]);
    expect((await stateOf(h, sub.subscriptionId)).subscription.status).toBe("past_due");
  });
});
