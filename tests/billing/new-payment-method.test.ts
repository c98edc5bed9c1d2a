import { describe, expect, it } from "vitest";
import { executeBillingRun, syncSetupIntent } from "@paycron/billing";
import { chargesOf, HOUR_MS, saveNewCard, signUp, stateOf, useBilling } from "./support.ts";

const h = useBilling();

describe("a customer who owes money saves a new card", () => {
  it("an incomplete subscription is retried at once on the new card and becomes active within its 23 hours", async () => {
    const sub = await signUp(h, { card: "pm_card_chargeCustomerFail" });
    await executeBillingRun(h.deps, { billingRunId: sub.billingRunId });
    expect((await stateOf(h, sub.subscriptionId)).subscription.status).toBe("incomplete");

    h.clock.advance(5 * HOUR_MS);
    expect(await syncSetupIntent(h.deps, { event: await saveNewCard(h, sub.stripeCustomerId) })).toBe("processed");

    const { runs } = await stateOf(h, sub.subscriptionId);
    expect(runs.map((r) => [r.attempt, r.status])).toEqual([
      [1, "failed"],
      [2, "scheduled"],
    ]);
    expect(runs[1]!.scheduled_for).toEqual(h.clock.now());
    const outbox = await h.db.selectFrom("task_outbox").select(["available_at"]).where("task_id", "=", "billing-run").where("payload", "@>", JSON.stringify({ billingRunId: runs[1]!.id })).execute();
    expect(outbox).toHaveLength(1);

    expect(await executeBillingRun(h.deps, { billingRunId: runs[1]!.id })).toMatchObject({ outcome: "charged", paymentStatus: "succeeded" });
    const after = await stateOf(h, sub.subscriptionId);
    expect(after.subscription.status).toBe("active");
    expect(after.invoices).toMatchObject([{ status: "paid", amount_paid: 4900 }]);
    expect(chargesOf(h, sub.stripeCustomerId)).toHaveLength(1);
  });

  it("a customer who owes nothing is not charged by saving a card", async () => {
    const sub = await signUp(h);
    await executeBillingRun(h.deps, { billingRunId: sub.billingRunId });
    await syncSetupIntent(h.deps, { event: await saveNewCard(h, sub.stripeCustomerId) });

    const { runs } = await stateOf(h, sub.subscriptionId);
    expect(runs.map((r) => r.status)).toEqual(["succeeded"]);
  });
});
