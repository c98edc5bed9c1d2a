import { describe, expect, it } from "vitest";
import { isDomainError } from "@paycron/core";
import { useTestDb } from "@paycron/db/testing";
import { issuePeriodInvoice } from "../src/index.ts";
import { addPeriod, addStaticItem, addUsage, addUsageItem, billedSubscription, d } from "./invoices-fixtures.ts";

const t = useTestDb();
const now = d("2027-03-01T00:05:00Z");
const MARCH = ["2027-03-01T00:00:00Z", "2027-04-01T00:00:00Z"] as const;

const issue = (billingPeriodId: string, at = now) => t.db.transaction().execute((tx) => issuePeriodInvoice(tx, { billingPeriodId, now: at }));

describe("issuePeriodInvoice", () => {
  it("issues an open invoice due now whose total is the sum of its lines, with the lines stored", async () => {
    const billed = await billedSubscription(t.db);
    await addPeriod(t.db, billed.subscriptionId, "2027-02-01T00:00:00Z", MARCH[0]);
    const period = await addPeriod(t.db, billed.subscriptionId, ...MARCH);
    const pro = await addStaticItem(t.db, billed, { name: "Pro", unitAmount: 4900, quantity: 3 });
    const { meterId, priceId: calls } = await addUsageItem(t.db, billed, { meter: "API calls", aggregation: "sum", unitAmount: 3, included: 1000 });
    await addUsage(t.db, { meterId, customerId: billed.customerId, subscriptionId: billed.subscriptionId, quantity: 1250, at: "2027-02-14T00:00:00Z" });

    const { invoice, lines, created } = await issue(period);

    expect(created).toBe(true);
    expect(invoice).toMatchObject({
      organization_id: billed.organizationId,
      customer_id: billed.customerId,
      subscription_id: billed.subscriptionId,
      billing_period_id: period,
      number: "ACME-000001",
      status: "open",
      currency: "USD",
      subtotal: 15_450,
      discount: 0,
      tax: 0,
      total: 15_450,
      amount_paid: 0,
      amount_refunded: 0,
      amount_due: 15_450,
      issued_at: now,
      due_at: now,
      paid_at: null,
    });
    expect(lines).toMatchObject([
      { kind: "subscription", description: "Pro × 3 (1 Mar 2027 – 1 Apr 2027)", quantity: 3, unit_amount: 4900, amount: 14_700, period_start: d(MARCH[0]), period_end: d(MARCH[1]), price_id: pro },
      { kind: "usage", description: "API calls: 1,250 (1,000 included)", quantity: 250, unit_amount: 3, amount: 750, period_start: d("2027-02-01T00:00:00Z"), period_end: d(MARCH[0]), price_id: calls },
    ]);
    const stored = await t.db.selectFrom("invoice_line_items").select("amount").where("invoice_id", "=", invoice.id).execute();
    expect(stored.reduce((sum, line) => sum + line.amount, 0)).toBe(invoice.total);
  });

  it("returns the period's invoice on a second call, consuming no number", async () => {
    const billed = await billedSubscription(t.db);
    const period = await addPeriod(t.db, billed.subscriptionId, ...MARCH);
    await addStaticItem(t.db, billed, { name: "Pro", unitAmount: 4900 });
    await addStaticItem(t.db, billed, { name: "Add-on", unitAmount: 500, quantity: 2 });
    const first = await issue(period);
    // Whatever changed since, the invoice issued is the one returned.
    await addStaticItem(t.db, billed, { name: "Late", unitAmount: 1 });

    const again = await issue(period, d("2027-03-02T00:00:00Z"));

    expect(again).toEqual({ ...first, created: false });
    const organization = await t.db.selectFrom("organizations").select("next_invoice_number").where("id", "=", billed.organizationId).executeTakeFirstOrThrow();
    expect(organization.next_invoice_number).toBe(2);
  });

  it("issues a zero total as paid at once, with nothing due", async () => {
    const billed = await billedSubscription(t.db);
    const period = await addPeriod(t.db, billed.subscriptionId, ...MARCH);
    await addUsageItem(t.db, billed, { meter: "API calls", aggregation: "sum", unitAmount: 2, included: 1000 });

    const { invoice, lines } = await issue(period);

    expect(invoice).toMatchObject({ status: "paid", total: 0, amount_due: 0, paid_at: now, number: "ACME-000001" });
    expect(lines).toMatchObject([{ kind: "usage", description: "API calls: 0 (1,000 included)", amount: 0 }]);
  });

  it("issues an invoice without lines for a period with no live item, paid at 0", async () => {
    const billed = await billedSubscription(t.db);
    const period = await addPeriod(t.db, billed.subscriptionId, ...MARCH);
    await addStaticItem(t.db, billed, { unitAmount: 4900, endedAt: "2027-02-01T00:00:00Z" });

    const { invoice, lines } = await issue(period);

    expect(invoice).toMatchObject({ status: "paid", total: 0, amount_due: 0 });
    expect(lines).toEqual([]);
  });

  it("leaves nothing behind when the charges are refused, and takes no number", async () => {
    const billed = await billedSubscription(t.db, { currency: "USD" });
    const period = await addPeriod(t.db, billed.subscriptionId, ...MARCH);
    await addStaticItem(t.db, billed, { unitAmount: 4900, currency: "EUR" });

    const error = await issue(period).catch((e: unknown) => e);

    expect(isDomainError(error, "currency_mismatch")).toBe(true);
    expect(await t.db.selectFrom("invoices").select("id").where("billing_period_id", "=", period).execute()).toEqual([]);
    const organization = await t.db.selectFrom("organizations").select("next_invoice_number").where("id", "=", billed.organizationId).executeTakeFirstOrThrow();
    expect(organization.next_invoice_number).toBe(1);
  });

  it("refuses an unknown period", async () => {
    expect(isDomainError(await issue("00000000-0000-4000-8000-000000000000").catch((e: unknown) => e), "billing_period_not_found")).toBe(true);
    expect(isDomainError(await issue("period-1").catch((e: unknown) => e), "billing_period_not_found")).toBe(true);
  });
});
