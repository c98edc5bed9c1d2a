import { describe, expect, it } from "vitest";
import { expectInvariantsHold, simulate } from "./simulate-cli.ts";

/*
 * The acceptance run: a year of billing for 200 customers with declining cards, on the
 * real tasks, local engine, webhook app and Stripe emulator. Long for a test: every hourly slot of
 * the year fires hourly-cron through the engine and every paid invoice renders two PDFs and sends
 * an email: 10 minutes on this 2-core machine busy (docs/simulate.md, "Cost"), so one run carries
 * every assertion, and its time-out is a generous guard against a hang, not a bound.
 */
describe("paycron simulate: 12 months, 200 subscriptions, declines", () => {
  it("bills every plan, runs dunning and recovery, fires every cron slot, and keeps every invariant", async () => {
    const { code, stderr, report } = await simulate(["--customers", "200", "--months", "12", "--decline-rate", "0.15", "--seed", "42"]);

    expectInvariantsHold(report);
    expect(code).toBe(0);
    // Every slot of the year: 8,760 hours, 365 days.
    expect(report.simulated.cronSlots["hourly-cron"]).toBe(365 * 24);
    expect(report.simulated.cronSlots["daily-cron"]).toBe(365);
    expect(report.subscriptions.total).toBe(200);
    // Paying customers were billed every period: far more invoices than customers, most paid.
    expect(report.invoices.total).toBeGreaterThan(1_000);
    expect(report.invoices.byStatus.paid).toBeGreaterThan(0.8 * report.invoices.total);
    expect(report.revenue.USD).toBeGreaterThan(0);
    // Declining cards: charges failed, some were recovered when the card was fixed, and some
    // customers exhausted the ladder or never completed their first payment.
    expect(report.payments.failed).toBeGreaterThan(0);
    expect(report.payments.recovered).toBeGreaterThan(0);
    expect(Object.keys(report.churn).length).toBeGreaterThan(0);
    expect(report.billingRuns.executed).toBeGreaterThan(report.invoices.total - 1);
    // The progress line went to stderr, the report alone to stdout.
    expect(stderr).toContain("simulate: day");
  }, 1_800_000);
});
