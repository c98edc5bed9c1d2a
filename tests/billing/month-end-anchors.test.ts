import { describe, expect, it } from "vitest";
import { advanceSubscriptionPeriod, executeBillingRun } from "@paycron/billing";
import { HOUR_MS, signUp, stateOf, useBilling } from "./support.ts";

const h = useBilling();

/** Signs up at `anchor`, then renews month after month for 24 months: each period opened, charged and paid. */
async function twoYearsFrom(anchor: string) {
  h.clock.set(anchor);
  const sub = await signUp(h);
  await executeBillingRun(h.deps, { billingRunId: sub.billingRunId });
  for (let month = 0; month < 24; month++) {
    const { subscription } = await stateOf(h, sub.subscriptionId);
    h.clock.set(subscription.current_period_end.getTime() + HOUR_MS);
    const advanced = await advanceSubscriptionPeriod(h.deps, { subscriptionId: sub.subscriptionId });
    if (advanced.outcome !== "advanced") throw new Error(`month ${month}: ${advanced.outcome}`);
    expect(await executeBillingRun(h.deps, { billingRunId: advanced.opened[0]!.billingRunId! })).toMatchObject({ paymentStatus: "succeeded" });
  }
  const periods = await h.db.selectFrom("billing_periods").select(["starts_at", "ends_at"]).where("subscription_id", "=", sub.subscriptionId).orderBy("starts_at").execute();
  const { invoices } = await stateOf(h, sub.subscriptionId);
  return { periods, invoices };
}

const day = (d: Date) => d.toISOString().slice(0, 10);

describe("month-end anchors over 24 months of real renewals", () => {
  it("a Jan 31 anchor bills on the last day of short months and returns to the 31st: never drifts to the 28th", async () => {
    const { periods, invoices } = await twoYearsFrom("2027-01-31T09:00:00Z");
    expect(periods.map((p) => day(p.starts_at))).toEqual([
      "2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30", "2027-05-31", "2027-06-30", "2027-07-31", "2027-08-31", "2027-09-30",
      "2027-10-31", "2027-11-30", "2027-12-31", "2028-01-31", "2028-02-29", "2028-03-31", "2028-04-30", "2028-05-31", "2028-06-30",
      "2028-07-31", "2028-08-31", "2028-09-30", "2028-10-31", "2028-11-30", "2028-12-31", "2029-01-31",
    ]);
    for (const [i, p] of periods.entries()) if (i > 0) expect(p.starts_at).toEqual(periods[i - 1]!.ends_at);
    expect(invoices).toHaveLength(25);
    expect(invoices.every((i) => i.status === "paid")).toBe(true);
  }, 120_000);

  it("a Feb 29 anchor bills on the 29th where a month has one and on Feb 28 in common years", async () => {
    const { periods } = await twoYearsFrom("2028-02-29T09:00:00Z");
    const starts = periods.map((p) => day(p.starts_at));
    expect(starts.slice(0, 3)).toEqual(["2028-02-29", "2028-03-29", "2028-04-29"]);
    expect(starts).toContain("2029-02-28");
    expect(starts.at(-1)).toBe("2030-02-28");
    expect(starts.filter((s) => s.endsWith("-29"))).toHaveLength(23);
  }, 120_000);
});
