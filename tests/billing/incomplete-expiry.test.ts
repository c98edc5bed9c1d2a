import { describe, expect, it } from "vitest";
import { executeBillingRun, expireIncompleteSubscription, INCOMPLETE_EXPIRY_MS } from "@paycron/billing";
import { HOUR_MS, stateOf, signUp, useBilling } from "./support.ts";
import { deliver, eventOf, outboxRows } from "./outcomes-support.ts";

const h = useBilling();

describe("a new subscription whose first charge fails", () => {
  it("stays incomplete, with no ladder and nothing past_due, and its expiry is enqueued for 23 hours after sign-up", async () => {
    const sub = await signUp(h, { card: "pm_card_chargeCustomerFail", organization: { dunning_retry_days: [1, 2, 3] } });
    h.clock.advance(5 * 60_000);
    expect(await executeBillingRun(h.deps, { billingRunId: sub.billingRunId })).toMatchObject({ outcome: "charged", paymentStatus: "failed" });

    const { subscription, runs, invoices, payments } = await stateOf(h, sub.subscriptionId);
    expect(subscription.status).toBe("incomplete");
    expect(runs).toMatchObject([{ attempt: 1, status: "failed" }]);
    expect(payments).toMatchObject([{ status: "failed", failure_code: "generic_decline" }]);
    expect(invoices).toMatchObject([{ status: "open", amount_due: 4900 }]);
    const period = await h.db.selectFrom("billing_periods").select("status").where("id", "=", sub.billingPeriodId).executeTakeFirstOrThrow();
    expect(period.status).toBe("active");
    expect(await outboxRows(h, "subscription-expire-incomplete", { subscriptionId: sub.subscriptionId })).toMatchObject([
      { available_at: new Date(subscription.created_at.getTime() + 23 * HOUR_MS) },
    ]);
    expect(INCOMPLETE_EXPIRY_MS).toBe(23 * HOUR_MS);
  });

  it("is not expired before 23 hours, and at 23 hours becomes incomplete_expired: invoice void, runs aborted, period canceled", async () => {
    const sub = await signUp(h, { card: "pm_card_chargeCustomerFail" });
    await executeBillingRun(h.deps, { billingRunId: sub.billingRunId });
    const createdAt = (await stateOf(h, sub.subscriptionId)).subscription.created_at;

    h.clock.set(createdAt.getTime() + INCOMPLETE_EXPIRY_MS - 1);
    expect(await expireIncompleteSubscription(h.deps, { subscriptionId: sub.subscriptionId })).toEqual({ outcome: "not_yet" });
    expect((await stateOf(h, sub.subscriptionId)).subscription.status).toBe("incomplete");

    h.clock.set(createdAt.getTime() + INCOMPLETE_EXPIRY_MS);
    expect(await expireIncompleteSubscription(h.deps, { subscriptionId: sub.subscriptionId })).toEqual({ outcome: "expired" });
    const { subscription, runs, invoices } = await stateOf(h, sub.subscriptionId);
    expect(subscription).toMatchObject({ status: "incomplete_expired", ended_at: h.clock.now() });
    expect(invoices).toMatchObject([{ status: "void", voided_at: h.clock.now(), amount_paid: 0 }]);
    expect(runs.filter((r) => r.status === "scheduled" || r.status === "in_progress")).toEqual([]);
    const period = await h.db.selectFrom("billing_periods").select("status").where("id", "=", sub.billingPeriodId).executeTakeFirstOrThrow();
    expect(period.status).toBe("canceled");
    // A replay of the task changes nothing.
    expect(await expireIncompleteSubscription(h.deps, { subscriptionId: sub.subscriptionId })).toEqual({ outcome: "not_incomplete" });
  });

  it("aborts a first run that never executed when it expires", async () => {
    // The first run is scheduled but its task never ran (the worker was down for a day).
    const sub = await signUp(h);
    h.clock.advance(INCOMPLETE_EXPIRY_MS);
    expect(await expireIncompleteSubscription(h.deps, { subscriptionId: sub.subscriptionId })).toEqual({ outcome: "expired" });
    const { runs } = await stateOf(h, sub.subscriptionId);
    expect(runs).toMatchObject([{ status: "aborted", error: { code: "subscription_incomplete_expired" } }]);
    // The late task finds nothing to charge.
    expect(await executeBillingRun(h.deps, { billingRunId: sub.billingRunId })).toEqual({ outcome: "not_claimed", status: "aborted" });
    expect(h.emulator.paymentIntents().filter((pi) => pi.metadata?.billing_run_id === sub.billingRunId)).toEqual([]);
  });

  it("is not expired while its first payment is still processing (a bank debit), and is active once it settles", async () => {
    const sub = await signUp(h, { card: "pm_usBankAccount" });
    expect(await executeBillingRun(h.deps, { billingRunId: sub.billingRunId })).toMatchObject({ paymentStatus: "processing" });
    h.clock.advance(INCOMPLETE_EXPIRY_MS + HOUR_MS);

    expect(await expireIncompleteSubscription(h.deps, { subscriptionId: sub.subscriptionId })).toEqual({ outcome: "payment_pending" });
    const { subscription, invoices } = await stateOf(h, sub.subscriptionId);
    expect(subscription.status).toBe("incomplete");
    expect(invoices).toMatchObject([{ status: "open" }]);

    h.clock.advance(4 * 24 * HOUR_MS);
    h.emulator.settle();
    const [pi] = h.emulator.paymentIntents().filter((p) => p.metadata?.billing_run_id === sub.billingRunId);
    expect(await deliver(h, eventOf(h, pi!.id, "payment_intent.succeeded"))).toMatchObject({ applied: true, to: "succeeded" });
    const settled = await stateOf(h, sub.subscriptionId);
    expect(settled.subscription.status).toBe("active");
    expect(settled.invoices).toMatchObject([{ status: "paid", amount_paid: 4900 }]);
    expect(await expireIncompleteSubscription(h.deps, { subscriptionId: sub.subscriptionId })).toEqual({ outcome: "not_incomplete" });
  });

  it("a first payment that succeeds makes it active, and a late expiry task then does nothing", async () => {
    const sub = await signUp(h);
    await executeBillingRun(h.deps, { billingRunId: sub.billingRunId });
    h.clock.advance(INCOMPLETE_EXPIRY_MS + HOUR_MS);
    expect(await expireIncompleteSubscription(h.deps, { subscriptionId: sub.subscriptionId })).toEqual({ outcome: "not_incomplete" });
    expect((await stateOf(h, sub.subscriptionId)).subscription.status).toBe("active");
  });
});
