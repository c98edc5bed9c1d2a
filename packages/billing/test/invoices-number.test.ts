import { describe, expect, it } from "vitest";
import { isDomainError } from "@paycron/core";
import { createDb } from "@paycron/db";
import { createOrganization, useTestDb } from "@paycron/db/testing";
import { formatInvoiceNumber, issuePeriodInvoice, planPeriodInvoice, takeInvoiceNumber, writePeriodInvoices } from "../src/index.ts";
import { addPeriod, addStaticItem, billedSubscription, d, lockWaiters } from "./invoices-fixtures.ts";

const t = useTestDb();
const now = d("2027-03-01T00:00:00Z");

const nextNumberOf = async (organizationId: string) =>
  (await t.db.selectFrom("organizations").select("next_invoice_number").where("id", "=", organizationId).executeTakeFirstOrThrow())
    .next_invoice_number;

/** An organization with `count` subscriptions, each with one billable period. */
async function periodsOfOneOrganization(count: number) {
  const organization = await createOrganization(t.db, { invoice_prefix: "ACME" });
  const periods: string[] = [];
  for (let i = 0; i < count; i++) {
    const billed = await billedSubscription(t.db, { organizationId: organization.id });
    await addStaticItem(t.db, billed, { unitAmount: 1000 + i });
    periods.push(await addPeriod(t.db, billed.subscriptionId, "2027-03-01T00:00:00Z", "2027-04-01T00:00:00Z"));
  }
  return { organizationId: organization.id, periods };
}

/**
 * Holds the organization's row until `start()`'s work all waits on it, then lets go: the issuers
 * truly race for the number. The holder and the watcher have connections of their own, since the
 * issuers may take every connection of the test's pool.
 */
async function whileOrganizationLocked<T>(organizationId: string, waiters: number, start: () => Promise<T>): Promise<T> {
  const holderDb = createDb({ connectionString: t.url, max: 2 });
  try {
    let release!: () => void;
    let locked!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const lockTaken = new Promise<void>((r) => (locked = r));
    const holder = holderDb.transaction().execute(async (tx) => {
      await tx.selectFrom("organizations").select("id").where("id", "=", organizationId).forUpdate().execute();
      locked();
      await held;
    });
    await lockTaken;
    const work = start();
    await lockWaiters(holderDb, waiters, `${waiters} issuers waiting on the organization row`);
    release();
    await holder;
    return await work;
  } finally {
    await holderDb.destroy();
  }
}

describe("formatInvoiceNumber", () => {
  it("pads to six digits and grows past them", () => {
    expect(formatInvoiceNumber("INV", 1)).toBe("INV-000001");
    expect(formatInvoiceNumber("ACME-EU", 123)).toBe("ACME-EU-000123");
    expect(formatInvoiceNumber("INV", 999_999)).toBe("INV-999999");
    expect(formatInvoiceNumber("INV", 1_000_000)).toBe("INV-1000000");
    expect(() => formatInvoiceNumber("INV", 0)).toThrow(RangeError);
    expect(() => formatInvoiceNumber("INV", 1.5)).toThrow(RangeError);
  });
});

describe("takeInvoiceNumber", () => {
  it("takes the organization's numbers one after another", async () => {
    const organization = await createOrganization(t.db, { invoice_prefix: "NUM" });
    const taken = await t.db.transaction().execute(async (tx) => [await takeInvoiceNumber(tx, organization.id), await takeInvoiceNumber(tx, organization.id)]);
    expect(taken).toEqual(["NUM-000001", "NUM-000002"]);
    expect(await nextNumberOf(organization.id)).toBe(3);
  });

  it("refuses an unknown organization", async () => {
    const error = await t.db
      .transaction()
      .execute((tx) => takeInvoiceNumber(tx, "00000000-0000-4000-8000-000000000000"))
      .catch((e: unknown) => e);
    expect(isDomainError(error, "organization_not_found")).toBe(true);
  });
});

/** Issues the periods' invoices together, as a billing batch does: plan every one, then write them at once. */
async function issueTogether(periods: string[]) {
  return t.db.transaction().execute(async (tx) => {
    const plans = [];
    for (const billingPeriodId of periods) {
      const plan = await planPeriodInvoice(tx, { billingPeriodId });
      if ("existing" in plan) throw new Error(`period ${billingPeriodId} already invoiced`);
      plans.push(plan);
    }
    return writePeriodInvoices(tx, plans, now);
  });
}

describe("invoices written together", () => {
  it("numbers them in the order given with one counter update per organization, each with its own lines", async () => {
    const acme = await periodsOfOneOrganization(3);
    const other = await createOrganization(t.db, { invoice_prefix: "OTHR" });
    const billed = await billedSubscription(t.db, { organizationId: other.id });
    await addStaticItem(t.db, billed, { unitAmount: 700 });
    const otherPeriod = await addPeriod(t.db, billed.subscriptionId, "2027-03-01T00:00:00Z", "2027-04-01T00:00:00Z");

    const issued = await issueTogether([acme.periods[2]!, otherPeriod, acme.periods[0]!, acme.periods[1]!]);

    expect(issued.map((r) => r.invoice.number)).toEqual(["ACME-000001", "OTHR-000001", "ACME-000002", "ACME-000003"]);
    expect(issued.map((r) => r.invoice.total)).toEqual([1002, 700, 1000, 1001]);
    expect(issued.map((r) => r.lines.map((line) => line.amount))).toEqual([[1002], [700], [1000], [1001]]);
    expect(issued.every((r) => r.created && r.lines.every((line) => line.invoice_id === r.invoice.id))).toBe(true);
    expect(await nextNumberOf(acme.organizationId)).toBe(4);
    expect(await nextNumberOf(other.id)).toBe(2);
    // Issued once: the period now has its invoice.
    expect((await t.db.transaction().execute((tx) => issuePeriodInvoice(tx, { billingPeriodId: otherPeriod, now }))).created).toBe(false);
  });

  it("leaves no gap when batches and single issuers of one organization race", async () => {
    const { organizationId, periods } = await periodsOfOneOrganization(12);

    const results = await whileOrganizationLocked(organizationId, 6, () =>
      Promise.all([
        issueTogether(periods.slice(0, 4)),
        issueTogether(periods.slice(4, 8)),
        ...periods.slice(8).map((billingPeriodId) => t.db.transaction().execute(async (tx) => [await issuePeriodInvoice(tx, { billingPeriodId, now })])),
      ]),
    );

    expect(results.flat().map((r) => r.invoice.number).sort()).toEqual(Array.from({ length: 12 }, (_, i) => formatInvoiceNumber("ACME", i + 1)));
    expect(await nextNumberOf(organizationId)).toBe(13);
  });
});

describe("invoice numbers under concurrency", () => {
  it("gives 20 concurrent issuers of one organization the numbers 1 to 20, no gap, no duplicate", async () => {
    const { organizationId, periods } = await periodsOfOneOrganization(20);

    const results = await whileOrganizationLocked(organizationId, 20, () =>
      Promise.all(periods.map((billingPeriodId) => t.db.transaction().execute((tx) => issuePeriodInvoice(tx, { billingPeriodId, now })))),
    );

    const numbers = results.map((result) => result.invoice.number).sort();
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => formatInvoiceNumber("ACME", i + 1)));
    expect(new Set(results.map((result) => result.invoice.billing_period_id)).size).toBe(20);
    expect(await nextNumberOf(organizationId)).toBe(21);
  });

  it("gives a rolled-back issuance's number to the next issuer, even one already waiting for it", async () => {
    const { organizationId, periods } = await periodsOfOneOrganization(3);
    const [doomed, waiting, later] = periods as [string, string, string];

    let rollBack!: () => void;
    let numberTaken!: (number: string) => void;
    const rollBackNow = new Promise<void>((r) => (rollBack = r));
    const doomedNumber = new Promise<string>((r) => (numberTaken = r));
    const failed = t.db
      .transaction()
      .execute(async (tx) => {
        const { invoice } = await issuePeriodInvoice(tx, { billingPeriodId: doomed, now });
        numberTaken(invoice.number!);
        await rollBackNow;
        throw new Error("issuance rolled back for the test");
      })
      .catch((error: unknown) => error);
    expect(await doomedNumber).toBe("ACME-000001");

    const second = t.db.transaction().execute((tx) => issuePeriodInvoice(tx, { billingPeriodId: waiting, now }));
    await lockWaiters(t.db, 1, "the second issuer waiting on the organization row");
    rollBack();
    expect(await failed).toBeInstanceOf(Error);

    expect((await second).invoice.number).toBe("ACME-000001");
    const third = await t.db.transaction().execute((tx) => issuePeriodInvoice(tx, { billingPeriodId: later, now }));
    expect(third.invoice.number).toBe("ACME-000002");
    expect(await t.db.selectFrom("invoices").select("id").where("billing_period_id", "=", doomed).execute()).toEqual([]);
    expect(await nextNumberOf(organizationId)).toBe(3);
  });

  it("issues one invoice and consumes one number for 10 concurrent issuers of the same period", async () => {
    const { organizationId, periods } = await periodsOfOneOrganization(1);
    const [billingPeriodId] = periods as [string];

    const results = await whileOrganizationLocked(organizationId, 10, () =>
      Promise.all(Array.from({ length: 10 }, () => t.db.transaction().execute((tx) => issuePeriodInvoice(tx, { billingPeriodId, now })))),
    );

    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(new Set(results.map((result) => result.invoice.id)).size).toBe(1);
    expect(results.every((result) => result.invoice.number === "ACME-000001" && result.lines.length === 1)).toBe(true);
    expect(await t.db.selectFrom("invoices").select("id").where("organization_id", "=", organizationId).execute()).toHaveLength(1);
    expect(await nextNumberOf(organizationId)).toBe(2);
  });
});
