import type { KyselyPlugin } from "kysely";
import { describe, expect, it } from "vitest";
import { isDomainError } from "@paycron/core";
import { computePeriodCharges, type PeriodCharges } from "../src/index.ts";
import { addPeriod, addStaticItem, addUsage, addUsageItem, billedSubscription, d, type Billed } from "./invoices-fixtures.ts";
import { useTestDb } from "@paycron/db/testing";

const t = useTestDb();

const MARCH = ["2027-03-01T00:00:00Z", "2027-04-01T00:00:00Z"] as const;

const charges = (billingPeriodId: string, plugins: KyselyPlugin[] = []): Promise<PeriodCharges> =>
  t.db.transaction().execute((tx) => computePeriodCharges(plugins.reduce((q, p) => q.withPlugin(p), tx), { billingPeriodId }));

const failure = (promise: Promise<unknown>) => promise.then(() => expect.fail("expected a rejection"), (error: unknown) => error);

describe("computePeriodCharges: static items", () => {
  it("charges quantity × unit amount for every item live in the period, and skips ended and later ones", async () => {
    const billed = await billedSubscription(t.db);
    const period = await addPeriod(t.db, billed.subscriptionId, ...MARCH);
    const pro = await addStaticItem(t.db, billed, { name: "Pro", unitAmount: 4900, quantity: 2 });
    const seats = await addStaticItem(t.db, billed, { name: "Support", unitAmount: 1000, endedAt: "2027-03-15T00:00:00Z" });
    await addStaticItem(t.db, billed, { name: "Ended at the start", unitAmount: 700, endedAt: MARCH[0] });
    await addStaticItem(t.db, billed, { name: "Ended before", unitAmount: 700, endedAt: "2027-02-10T00:00:00Z" });
    await addStaticItem(t.db, billed, { name: "Added at the end", unitAmount: 900, createdAt: MARCH[1] });

    const result = await charges(period);

    expect(result).toEqual({
      subscriptionId: billed.subscriptionId,
      organizationId: billed.organizationId,
      customerId: billed.customerId,
      currency: "USD",
      subtotal: 10_800,
      lines: [
        { kind: "subscription", description: "Pro × 2 (1 Mar 2027 – 1 Apr 2027)", quantity: 2, unitAmount: 4900, amount: 9800, periodStart: d(MARCH[0]), periodEnd: d(MARCH[1]), priceId: pro },
        { kind: "subscription", description: "Support (1 Mar 2027 – 1 Apr 2027)", quantity: 1, unitAmount: 1000, amount: 1000, periodStart: d(MARCH[0]), periodEnd: d(MARCH[1]), priceId: seats },
      ],
    });
  });

  it("writes the period's dates on the organization's calendar", async () => {
    const billed = await billedSubscription(t.db, { timezone: "Asia/Tokyo" });
    // Local midnight of 1 March and 1 April in Tokyo.
    const period = await addPeriod(t.db, billed.subscriptionId, "2027-02-28T15:00:00Z", "2027-03-31T15:00:00Z");
    await addStaticItem(t.db, billed, { name: "Pro", unitAmount: 4900 });

    expect((await charges(period)).lines[0]!.description).toBe("Pro (1 Mar 2027 – 1 Apr 2027)");
  });

  it("refuses a price in another currency than the subscription's", async () => {
    const billed = await billedSubscription(t.db, { currency: "USD" });
    const period = await addPeriod(t.db, billed.subscriptionId, ...MARCH);
    await addStaticItem(t.db, billed, { unitAmount: 4900 });
    await addStaticItem(t.db, billed, { unitAmount: 1000, currency: "EUR" });

    const error = await failure(charges(period));

    expect(isDomainError(error, "currency_mismatch")).toBe(true);
    expect((error as { retryable: boolean }).retryable).toBe(false);
  });

  it("refuses a usage price in another currency too", async () => {
    const billed = await billedSubscription(t.db, { currency: "EUR" });
    const period = await addPeriod(t.db, billed.subscriptionId, ...MARCH);
    await addUsageItem(t.db, billed, { aggregation: "sum", unitAmount: 1, currency: "USD" });

    expect(isDomainError(await failure(charges(period)), "currency_mismatch")).toBe(true);
  });

  it("refuses an unknown or malformed period id", async () => {
    expect(isDomainError(await failure(charges("00000000-0000-4000-8000-000000000000")), "billing_period_not_found")).toBe(true);
    expect(isDomainError(await failure(charges("nope")), "billing_period_not_found")).toBe(true);
  });
});

describe("computePeriodCharges: usage billed in arrears (no static item)", () => {
  /** Events around March for `billed`, plus the ones that must not count. */
  async function marchEvents(billed: Billed, meterId: string, quantities: number[]) {
    const other = await billedSubscription(t.db, { organizationId: billed.organizationId });
    const sameCustomerOtherSubscription = await billedSubscription(t.db, { organizationId: billed.organizationId });
    const own = { meterId, customerId: billed.customerId, subscriptionId: billed.subscriptionId };
    // Exactly at the start counts, exactly at the end does not: the window is [start, end).
    await addUsage(t.db, { ...own, quantity: quantities[0]!, at: MARCH[0] });
    await addUsage(t.db, { ...own, quantity: quantities[1]!, at: "2027-03-15T12:00:00Z" });
    // Reported without a subscription: the customer's, so this one's.
    await addUsage(t.db, { ...own, subscriptionId: null, quantity: quantities[2]!, at: "2027-03-31T23:59:59.999Z" });
    await addUsage(t.db, { ...own, quantity: 100_000, at: MARCH[1] });
    await addUsage(t.db, { ...own, quantity: 100_000, at: "2027-02-28T23:59:59.999Z" });
    await addUsage(t.db, { meterId, customerId: other.customerId, subscriptionId: other.subscriptionId, quantity: 100_000, at: "2027-03-10T00:00:00Z" });
    await addUsage(t.db, { meterId, customerId: other.customerId, subscriptionId: null, quantity: 100_000, at: "2027-03-10T00:00:00Z" });
    await addUsage(t.db, { ...own, subscriptionId: sameCustomerOtherSubscription.subscriptionId, quantity: 100_000, at: "2027-03-10T00:00:00Z" });
  }

  it("sums the period's events of this customer and subscription, less the included quantity", async () => {
    const billed = await billedSubscription(t.db);
    const period = await addPeriod(t.db, billed.subscriptionId, ...MARCH);
    const { meterId, priceId } = await addUsageItem(t.db, billed, { meter: "API calls", aggregation: "sum", unitAmount: 2, included: 1000 });
    await marchEvents(billed, meterId, [250, 600, 400]);

    const result = await charges(period);

    expect(result.lines).toEqual([
      { kind: "usage", description: "API calls: 1,250 (1,000 included)", quantity: 250, unitAmount: 2, amount: 500, periodStart: d(MARCH[0]), periodEnd: d(MARCH[1]), priceId },
    ]);
    expect(result.subtotal).toBe(500);
  });

  it("counts events for a count meter", async () => {
    const billed = await billedSubscription(t.db);
    const period = await addPeriod(t.db, billed.subscriptionId, ...MARCH);
    const { meterId } = await addUsageItem(t.db, billed, { meter: "Logins", aggregation: "count", unitAmount: 10, included: 1 });
    await marchEvents(billed, meterId, [7, 0, 9]);

    expect((await charges(period)).lines).toMatchObject([{ description: "Logins: 3 (1 included)", quantity: 2, amount: 20 }]);
  });

  it("takes the largest event for a max meter", async () => {
    const billed = await billedSubscription(t.db);
    const period = await addPeriod(t.db, billed.subscriptionId, ...MARCH);
    const { meterId } = await addUsageItem(t.db, billed, { meter: "Seats", aggregation: "max", unitAmount: 300, included: 5 });
    await marchEvents(billed, meterId, [8, 12, 3]);

    expect((await charges(period)).lines).toMatchObject([{ description: "Seats: 12 (5 included)", quantity: 7, amount: 2100 }]);
  });

  it("lists usage within the included quantity, and no usage at all, at 0", async () => {
    const billed = await billedSubscription(t.db);
    const period = await addPeriod(t.db, billed.subscriptionId, ...MARCH);
    const calls = await addUsageItem(t.db, billed, { meter: "API calls", aggregation: "sum", unitAmount: 2, included: 1000 });
    await addUsageItem(t.db, billed, { meter: "Exports", aggregation: "count", unitAmount: 50 });
    await addUsage(t.db, { meterId: calls.meterId, customerId: billed.customerId, subscriptionId: billed.subscriptionId, quantity: 999, at: "2027-03-02T00:00:00Z" });

    const result = await charges(period);

    expect(result.lines).toMatchObject([
      { description: "API calls: 999 (1,000 included)", quantity: 0, amount: 0 },
      { description: "Exports: 0", quantity: 0, amount: 0 },
    ]);
    expect(result.subtotal).toBe(0);
  });

  it("gives each of two items on one meter the meter's aggregate", async () => {
    const billed = await billedSubscription(t.db);
    const period = await addPeriod(t.db, billed.subscriptionId, ...MARCH);
    const first = await addUsageItem(t.db, billed, { meter: "API calls", aggregation: "sum", unitAmount: 2 });
    await addUsageItem(t.db, billed, { meterId: first.meterId, aggregation: "sum", unitAmount: 1, included: 10 });
    await addUsage(t.db, { meterId: first.meterId, customerId: billed.customerId, subscriptionId: billed.subscriptionId, quantity: 30, at: "2027-03-02T00:00:00Z" });

    expect((await charges(period)).lines.map((line) => line.amount)).toEqual([60, 20]);
  });

  it("refuses a usage item whose price has no meter", async () => {
    const billed = await billedSubscription(t.db);
    const period = await addPeriod(t.db, billed.subscriptionId, ...MARCH);
    const { priceId } = await addUsageItem(t.db, billed, { aggregation: "sum", unitAmount: 2 });
    await t.db.updateTable("prices").set({ usage_meter_id: null }).where("id", "=", priceId).execute();

    expect(isDomainError(await failure(charges(period)), "usage_price_without_meter")).toBe(true);
  });
});

describe("computePeriodCharges: static and usage items together", () => {
  it("bills the period's fixed fee with the previous period's usage, and no usage in the first period", async () => {
    const billed = await billedSubscription(t.db);
    const february = await addPeriod(t.db, billed.subscriptionId, "2027-02-01T00:00:00Z", MARCH[0]);
    const march = await addPeriod(t.db, billed.subscriptionId, ...MARCH);
    await addStaticItem(t.db, billed, { name: "Pro", unitAmount: 4900 });
    const { meterId } = await addUsageItem(t.db, billed, { meter: "API calls", aggregation: "sum", unitAmount: 2, included: 100 });
    const own = { meterId, customerId: billed.customerId, subscriptionId: billed.subscriptionId };
    await addUsage(t.db, { ...own, quantity: 300, at: "2027-02-01T00:00:00Z" });
    await addUsage(t.db, { ...own, quantity: 5000, at: MARCH[0] });
    await addUsage(t.db, { ...own, quantity: 5000, at: "2027-03-20T00:00:00Z" });

    const first = await charges(february);
    const second = await charges(march);

    expect(first.lines).toMatchObject([{ kind: "subscription", description: "Pro (1 Feb 2027 – 1 Mar 2027)", amount: 4900 }]);
    expect(second.lines).toEqual([
      expect.objectContaining({ kind: "subscription", amount: 4900, periodStart: d(MARCH[0]), periodEnd: d(MARCH[1]) }),
      expect.objectContaining({
        kind: "usage",
        description: "API calls: 300 (100 included)",
        quantity: 200,
        amount: 400,
        periodStart: d("2027-02-01T00:00:00Z"),
        periodEnd: d(MARCH[0]),
      }),
    ]);
    expect(second.subtotal).toBe(5300);
  });

  it("does not let an item that ended in an earlier period decide the window", async () => {
    const billed = await billedSubscription(t.db);
    const period = await addPeriod(t.db, billed.subscriptionId, ...MARCH);
    await addStaticItem(t.db, billed, { unitAmount: 4900, endedAt: MARCH[0] });
    const { meterId } = await addUsageItem(t.db, billed, { aggregation: "sum", unitAmount: 1 });
    await addUsage(t.db, { meterId, customerId: billed.customerId, subscriptionId: billed.subscriptionId, quantity: 42, at: "2027-03-05T00:00:00Z" });

    // No live fixed item: usage-only now, so March's own usage, in arrears.
    expect((await charges(period)).lines).toMatchObject([{ kind: "usage", quantity: 42, periodStart: d(MARCH[0]) }]);
  });
});

describe("computePeriodCharges: queries", () => {
  it("runs as many queries for 40 items as for 2", async () => {
    const counts: number[] = [];
    for (const items of [1, 20]) {
      const billed = await billedSubscription(t.db);
      await addPeriod(t.db, billed.subscriptionId, "2027-02-01T00:00:00Z", MARCH[0]);
      const period = await addPeriod(t.db, billed.subscriptionId, ...MARCH);
      for (let i = 0; i < items; i++) {
        await addStaticItem(t.db, billed, { unitAmount: 100 + i });
        const { meterId } = await addUsageItem(t.db, billed, { aggregation: i % 2 ? "sum" : "max", unitAmount: 1 });
        await addUsage(t.db, { meterId, customerId: billed.customerId, subscriptionId: billed.subscriptionId, quantity: 3, at: "2027-02-03T00:00:00Z" });
      }
      let queries = 0;
      const counter: KyselyPlugin = {
        transformQuery: (args) => ((queries += 1), args.node),
        transformResult: async (args) => args.result,
      };
      const result = await charges(period, [counter]);
      expect(result.lines).toHaveLength(2 * items);
      counts.push(queries);
    }
    expect(counts[1]).toBe(counts[0]);
    expect(counts[0]).toBeLessThanOrEqual(3);
  });
});
