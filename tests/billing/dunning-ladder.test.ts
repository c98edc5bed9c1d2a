import { describe, expect, it } from "vitest";
import { advanceSubscriptionPeriod, executeBillingRun, finalizeDunning } from "@paycron/billing";
import type { DunningFinalAction, NewOrganization } from "@paycron/db";
import { chargesOf, DAY_MS, HOUR_MS, paymentIntentsOf, stateOf, useBilling } from "./support.ts";
import { activeSubscription, deliver, eventOf, outboxRows, renewalRun, replaceDefaultMethod, type SignedUp } from "./outcomes-support.ts";

const h = useBilling();

/**
 * A subscription that paid its first period, whose card then stops working: the renewal is
 * declined. Returns the subscription and its declined renewal run.
 */
async function declinedRenewal(options: { backupCard?: string; organization?: Partial<NewOrganization>; price?: { interval: "week" } } = {}) {
  const sub = await activeSubscription(h, options);
  const failing = await replaceDefaultMethod(h, sub, "pm_card_chargeCustomerFail");
  const renewal = await renewalRun(h, sub.subscriptionId);
  expect(await executeBillingRun(h.deps, { billingRunId: renewal.billingRunId })).toMatchObject({ outcome: "charged", paymentStatus: "failed" });
  return { sub, failing, renewal, declinedAt: h.clock.now() };
}

async function nextRun(sub: SignedUp, attempt: number) {
  const { runs } = await stateOf(h, sub.subscriptionId);
  const run = runs.find((r) => r.attempt === attempt && r.billing_period_id !== runs[0]!.billing_period_id);
  if (!run) throw new Error(`no attempt ${attempt} of the renewal`);
  return run;
}

/** Moves the clock to a run's time and executes it. */
async function retry(sub: SignedUp, attempt: number) {
  const run = await nextRun(sub, attempt);
  h.clock.set(run.scheduled_for);
  return executeBillingRun(h.deps, { billingRunId: run.id });
}

describe("a declined renewal", () => {
  it("fails the payment and the run, makes the subscription and period past_due, and schedules attempt 2 dunning_retry_days[0] days later through the outbox", async () => {
    const { sub, failing, renewal, declinedAt } = await declinedRenewal();

    const { subscription, runs, payments, invoices } = await stateOf(h, sub.subscriptionId);
    expect(subscription.status).toBe("past_due");
    const period = await h.db.selectFrom("billing_periods").selectAll().where("id", "=", renewal.billingPeriodId).executeTakeFirstOrThrow();
    expect(period.status).toBe("past_due");
    expect(runs.find((r) => r.id === renewal.billingRunId)).toMatchObject({ status: "failed", attempt: 1, error: { code: "generic_decline" } });
    expect(payments.at(-1)).toMatchObject({ status: "failed", failure_code: "generic_decline", billing_run_id: renewal.billingRunId });
    expect(invoices.at(-1)).toMatchObject({ status: "open", amount_paid: 0, amount_due: 4900 });

    // The default ladder is {3,5,7}: the second attempt three days after the decline.
    const attempt2 = await nextRun(sub, 2);
    expect(attempt2).toMatchObject({ status: "scheduled", billing_period_id: renewal.billingPeriodId });
    expect(attempt2.scheduled_for).toEqual(new Date(declinedAt.getTime() + 3 * DAY_MS));
    expect(await outboxRows(h, "billing-run", { billingRunId: attempt2.id })).toMatchObject([{ available_at: attempt2.scheduled_for }]);

    // Stripe's payment_intent.payment_failed for the same decline, delivered twice: no second step of the ladder.
    const [declined] = paymentIntentsOf(h, renewal.billingRunId);
    const failedEvent = eventOf(h, declined!.id, "payment_intent.payment_failed");
    for (let i = 0; i < 2; i++) expect(await deliver(h, failedEvent)).toMatchObject({ applied: false, status: "failed" });
    expect((await stateOf(h, sub.subscriptionId)).runs.filter((r) => r.billing_period_id === renewal.billingPeriodId)).toHaveLength(2);

    // It charges the (still failing) default when there is no backup, and fails on to attempt 3 five days later.
    expect(await retry(sub, 2)).toMatchObject({ paymentStatus: "failed" });
    expect((await nextRun(sub, 2)).payment_method_id).toBe(failing.id);
    const attempt3 = await nextRun(sub, 3);
    expect(attempt3.scheduled_for).toEqual(new Date(attempt2.scheduled_for.getTime() + 5 * DAY_MS));
    expect((await stateOf(h, sub.subscriptionId)).subscription.status).toBe("past_due");
  });

  it("retries on the backup payment method when the default failed; its success pays the invoice, reactivates the subscription and stops the ladder", async () => {
    const { sub, renewal } = await declinedRenewal({ backupCard: "pm_card_visa" });
    expect((await nextRun(sub, 2)).payment_method_id).toBe(sub.backupPm);

    expect(await retry(sub, 2)).toMatchObject({ outcome: "charged", paymentStatus: "succeeded" });

    const { subscription, runs, invoices, payments } = await stateOf(h, sub.subscriptionId);
    const renewalRuns = runs.filter((r) => r.billing_period_id === renewal.billingPeriodId);
    expect(renewalRuns).toMatchObject([
      { attempt: 1, status: "failed" },
      { attempt: 2, status: "succeeded", payment_method_id: sub.backupPm },
    ]);
    expect(invoices.at(-1)).toMatchObject({ status: "paid", amount_paid: 4900, amount_due: 0 });
    expect(payments.filter((p) => p.invoice_id === invoices.at(-1)!.id).map((p) => p.status)).toEqual(["failed", "succeeded"]);
    expect(subscription.status).toBe("active");
    expect(runs.filter((r) => r.status === "scheduled")).toEqual([]);
    const period = await h.db.selectFrom("billing_periods").select("status").where("id", "=", renewal.billingPeriodId).executeTakeFirstOrThrow();
    expect(period.status).toBe("active");
    const backup = await h.db.selectFrom("payment_methods").select("stripe_payment_method_id").where("id", "=", sub.backupPm!).executeTakeFirstOrThrow();
    expect(paymentIntentsOf(h, renewalRuns[1]!.id)).toMatchObject([{ status: "succeeded", payment_method: backup.stripe_payment_method_id }]);
  });

  it("retries on the card the customer put in place of the failed default before the retry", async () => {
    const { sub, renewal } = await declinedRenewal();
    h.clock.advance(DAY_MS);
    const replaced = await replaceDefaultMethod(h, sub, "pm_card_visa");

    expect(await retry(sub, 2)).toMatchObject({ outcome: "charged", paymentStatus: "succeeded" });

    const attempt2 = await nextRun(sub, 2);
    expect(attempt2.payment_method_id).toBe(replaced.id);
    expect(paymentIntentsOf(h, attempt2.id)).toMatchObject([{ status: "succeeded", payment_method: replaced.stripeId }]);
    const { subscription, invoices } = await stateOf(h, sub.subscriptionId);
    expect(invoices.find((i) => i.billing_period_id === renewal.billingPeriodId)).toMatchObject({ status: "paid", amount_paid: 4900 });
    expect(subscription.status).toBe("active");
  });
});

describe("the ladder exhausted", () => {
  it.each([
    { finalAction: "cancel", status: "canceled" },
    { finalAction: "mark_unpaid", status: "unpaid" },
    { finalAction: "leave_past_due", status: "past_due" },
  ] as const)("with final action $finalAction: the subscription is $status and the invoice uncollectible", async ({ finalAction, status }) => {
    const { sub, renewal, declinedAt } = await declinedRenewal({ organization: { dunning_retry_days: [1, 2], dunning_final_action: finalAction as DunningFinalAction } });
    const attempt2 = await nextRun(sub, 2);
    expect(attempt2.scheduled_for.getTime() - declinedAt.getTime()).toBe(DAY_MS);
    expect(await retry(sub, 2)).toMatchObject({ paymentStatus: "failed" });
    const attempt3 = await nextRun(sub, 3);
    expect(attempt3.scheduled_for.getTime() - h.clock.now().getTime()).toBe(2 * DAY_MS);
    expect(await retry(sub, 3)).toMatchObject({ paymentStatus: "failed" });
    const exhaustedAt = h.clock.now();

    const { subscription, runs, invoices } = await stateOf(h, sub.subscriptionId);
    expect(subscription.status).toBe(status);
    expect(invoices.at(-1)).toMatchObject({ status: "uncollectible", amount_paid: 0 });
    // No fourth attempt, whatever the action.
    expect(runs.filter((r) => r.billing_period_id === renewal.billingPeriodId).map((r) => [r.attempt, r.status])).toEqual([
      [1, "failed"],
      [2, "failed"],
      [3, "failed"],
    ]);
    expect(runs.filter((r) => r.status === "scheduled")).toEqual([]);
    if (finalAction === "cancel") {
      expect(subscription).toMatchObject({ cancellation_reason: "non_payment", canceled_at: exhaustedAt });
    } else {
      expect(subscription.canceled_at).toBeNull();
    }

    // Invariant 9 and the past_due rule: no later period is opened or charged.
    const charges = chargesOf(h, sub.stripeCustomerId).length;
    h.clock.advance(40 * DAY_MS);
    expect(await advanceSubscriptionPeriod(h.deps, { subscriptionId: sub.subscriptionId })).toMatchObject({ outcome: "skipped" });
    const after = await stateOf(h, sub.subscriptionId);
    expect(after.runs).toHaveLength(runs.length);
    expect(chargesOf(h, sub.stripeCustomerId)).toHaveLength(charges);
  });
});

describe("a past_due subscription and its periods", () => {
  it("is not advanced into a new period while the ladder runs; once paid it is active and subscription-advance is enqueued for its ended period", async () => {
    // Weekly: the ladder's second attempt (3 days) comes after a whole week has ended (10 days).
    const { sub } = await declinedRenewal({ price: { interval: "week" }, organization: { dunning_retry_days: [10] } });
    const before = await stateOf(h, sub.subscriptionId);
    h.clock.advance(8 * DAY_MS);
    expect(before.subscription.current_period_end.getTime()).toBeLessThan(h.clock.now().getTime());

    expect(await advanceSubscriptionPeriod(h.deps, { subscriptionId: sub.subscriptionId })).toEqual({ outcome: "skipped", reason: "past_due" });
    const during = await stateOf(h, sub.subscriptionId);
    expect(during.runs).toHaveLength(before.runs.length);
    expect(during.subscription.current_period_end).toEqual(before.subscription.current_period_end);
    expect(during.subscription.status).toBe("past_due");

    await replaceDefaultMethod(h, sub, "pm_card_visa");
    expect(await retry(sub, 2)).toMatchObject({ paymentStatus: "succeeded" });
    const paid = await stateOf(h, sub.subscriptionId);
    expect(paid.subscription.status).toBe("active");
    expect(await outboxRows(h, "subscription-advance", { subscriptionId: sub.subscriptionId })).toHaveLength(1);
    // Now it advances: the missed week gets its own period and run.
    expect(await advanceSubscriptionPeriod(h.deps, { subscriptionId: sub.subscriptionId })).toMatchObject({ outcome: "advanced" });
  });
});

describe("finalizeDunning, the daily catch-up", () => {
  it("schedules the next retry of a past_due subscription whose retry run was aborted", async () => {
    const { sub, renewal } = await declinedRenewal();
    const attempt2 = await nextRun(sub, 2);
    await h.db.updateTable("billing_runs").set({ status: "aborted", completed_at: h.clock.now() }).where("id", "=", attempt2.id).execute();
    h.clock.advance(4 * DAY_MS);

    expect(await finalizeDunning(h.deps, { subscriptionId: sub.subscriptionId })).toEqual({ outcome: "resumed", attempt: 2 });
    const attempt3 = await nextRun(sub, 3);
    expect(attempt3).toMatchObject({ status: "scheduled", billing_period_id: renewal.billingPeriodId });
    expect(attempt3.scheduled_for).toEqual(new Date(h.clock.now().getTime() + 5 * DAY_MS));
    expect(await outboxRows(h, "billing-run", { billingRunId: attempt3.id })).toHaveLength(1);
    // Run again (the next day's cron): a retry is pending, nothing more.
    expect(await finalizeDunning(h.deps, { subscriptionId: sub.subscriptionId })).toEqual({ outcome: "run_pending" });
    expect((await stateOf(h, sub.subscriptionId)).runs.filter((r) => r.status === "scheduled")).toHaveLength(1);
  });

  it("applies the final action when the aborted retry was the ladder's last step", async () => {
    const { sub } = await declinedRenewal({ organization: { dunning_retry_days: [1], dunning_final_action: "cancel" } });
    const attempt2 = await nextRun(sub, 2);
    await h.db.updateTable("billing_runs").set({ status: "aborted", completed_at: h.clock.now() }).where("id", "=", attempt2.id).execute();
    h.clock.advance(2 * DAY_MS);

    expect(await finalizeDunning(h.deps, { subscriptionId: sub.subscriptionId })).toEqual({ outcome: "resumed", attempt: 2 });
    const { subscription, runs, invoices } = await stateOf(h, sub.subscriptionId);
    expect(subscription).toMatchObject({ status: "canceled", cancellation_reason: "non_payment" });
    expect(invoices.at(-1)!.status).toBe("uncollectible");
    expect(runs.filter((r) => r.status === "scheduled")).toEqual([]);
    expect(await finalizeDunning(h.deps, { subscriptionId: sub.subscriptionId })).toEqual({ outcome: "not_past_due" });
  });

  it("leaves an active subscription alone", async () => {
    const sub = await activeSubscription(h);
    h.clock.advance(HOUR_MS);
    expect(await finalizeDunning(h.deps, { subscriptionId: sub.subscriptionId })).toEqual({ outcome: "not_past_due" });
  });
});
