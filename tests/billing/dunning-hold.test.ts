import { describe, expect, it } from "vitest";
import { advanceSubscriptionPeriod, executeBillingRun, syncSetupIntent } from "@paycron/billing";
import { activeSubscription, outboxRows, replaceDefaultMethod } from "./outcomes-support.ts";
import { DAY_MS, paymentIntentsOf, saveNewCard, stateOf, useBilling } from "./support.ts";

const h = useBilling();

describe("a past_due subscription is not rolled into new charges", () => {
  it("holds a later period's charge while the ladder collects an earlier one, and charges it once the customer is back in good standing", async () => {
    const sub = await activeSubscription(h);
    await replaceDefaultMethod(h, sub, "pm_card_chargeCustomerFail");
    // Downtime: two periods ended; catching up opens both, each with its own first run.
    const { subscription } = await stateOf(h, sub.subscriptionId);
    h.clock.set(subscription.current_period_end.getTime() + 32 * DAY_MS);
    const advanced = await advanceSubscriptionPeriod(h.deps, { subscriptionId: sub.subscriptionId });
    if (advanced.outcome !== "advanced") throw new Error(`expected the subscription to advance, got ${advanced.outcome}`);
    const [first, later] = advanced.opened.map((p) => p.billingRunId!);
    expect(advanced.opened).toHaveLength(2);

    expect(await executeBillingRun(h.deps, { billingRunId: first! })).toMatchObject({ paymentStatus: "failed" });
    expect((await stateOf(h, sub.subscriptionId)).subscription.status).toBe("past_due");
    expect(await executeBillingRun(h.deps, { billingRunId: later! })).toEqual({ outcome: "held", reason: "subscription_past_due", until: null });
    expect(paymentIntentsOf(h, later!)).toEqual([]);
    const held = (await stateOf(h, sub.subscriptionId)).runs.find((r) => r.id === later);
    expect(held).toMatchObject({ status: "scheduled", lease_until: null });

    // The customer saves a working card: the owed period is retried at once and paid…
    await syncSetupIntent(h.deps, { event: await saveNewCard(h, sub.stripeCustomerId) });
    const retry = (await stateOf(h, sub.subscriptionId)).runs.find((r) => r.billing_period_id === advanced.opened[0]!.billingPeriodId && r.attempt === 2)!;
    expect(await executeBillingRun(h.deps, { billingRunId: retry.id })).toMatchObject({ paymentStatus: "succeeded" });
    expect((await stateOf(h, sub.subscriptionId)).subscription.status).toBe("active");

    // …and the held charge is handed to the engine again, and goes through.
    expect(await outboxRows(h, "billing-run", { billingRunId: later! })).toEqual(
      expect.arrayContaining([expect.objectContaining({ idempotency_key: expect.stringContaining("@resume:") })]),
    );
    expect(await executeBillingRun(h.deps, { billingRunId: later! })).toMatchObject({ paymentStatus: "succeeded" });
    const { invoices } = await stateOf(h, sub.subscriptionId);
    expect(invoices.map((i) => i.status)).toEqual(["paid", "paid", "paid"]);
  });

  it("a canceled subscription's held charges are aborted by the final action, never charged", async () => {
    const sub = await activeSubscription(h, { organization: { dunning_retry_days: [], dunning_final_action: "cancel" } });
    await replaceDefaultMethod(h, sub, "pm_card_chargeCustomerFail");
    const { subscription } = await stateOf(h, sub.subscriptionId);
    h.clock.set(subscription.current_period_end.getTime() + 32 * DAY_MS);
    const advanced = await advanceSubscriptionPeriod(h.deps, { subscriptionId: sub.subscriptionId });
    if (advanced.outcome !== "advanced") throw new Error(`expected the subscription to advance, got ${advanced.outcome}`);
    const [first, later] = advanced.opened.map((p) => p.billingRunId!);

    await executeBillingRun(h.deps, { billingRunId: first! });
    const after = await stateOf(h, sub.subscriptionId);
    expect(after.subscription).toMatchObject({ status: "canceled", cancellation_reason: "non_payment" });
    expect(after.runs.find((r) => r.id === later)).toMatchObject({ status: "aborted" });
    expect(await executeBillingRun(h.deps, { billingRunId: later! })).toEqual({ outcome: "not_claimed", status: "aborted" });
  });
});
