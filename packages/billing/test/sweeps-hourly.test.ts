import { beforeEach, describe, expect, it } from "vitest";
import { silentLogger, TestClock } from "@paycron/core";
import { useTestDb } from "@paycron/db/testing";
import { ADVANCE_BATCH_SIZE, RUN_BATCH_SIZE, sweepHourly } from "../src/index.ts";
import { createAccount, createBillingRun, createPayment, createSubscriptionRow, emptyTables, enqueuedIds, outboxRows, type Account } from "./sweeps-fixtures.ts";

const t = useTestDb();
const clock = new TestClock("2027-03-01T12:20:00Z");
const deps = () => ({ db: t.db, clock, logger: silentLogger() });
let account: Account;

beforeEach(async () => {
  clock.set("2027-03-01T12:20:00Z");
  await emptyTables(t.db);
  account = await createAccount(t.db);
});

describe("sweepHourly", () => {
  it("hands every scheduled run due by now to billing-run-batch, and nothing else", async () => {
    const due = await createBillingRun(t.db, account, { scheduledFor: "2027-03-01T12:20:00Z" });
    const longOverdue = await createBillingRun(t.db, account, { scheduledFor: "2026-11-01T00:00:00Z" });
    await createBillingRun(t.db, account, { scheduledFor: "2027-03-01T12:20:01Z" });
    await createBillingRun(t.db, account, { status: "awaiting_payment", scheduledFor: "2027-03-01T00:00:00Z" });
    await createBillingRun(t.db, account, { status: "succeeded", scheduledFor: "2027-03-01T00:00:00Z" });

    const report = await sweepHourly(deps());

    const both = [due, longOverdue].sort();
    expect(report.dueRuns).toEqual({ found: 2, enqueued: 1, pages: 1 });
    expect(await outboxRows(t.db, "billing-run-batch")).toEqual([{ key: `${both[0]}@2027-03-01T12:00:00.000Z`, payload: { billingRunIds: both } }]);
    expect(await outboxRows(t.db, "billing-run")).toEqual([]);
  });

  it("hands active subscriptions whose period has ended to subscription-advance-batch, not other statuses", async () => {
    const ended = await createSubscriptionRow(t.db, account, { periodEnd: "2027-03-01T12:20:00Z" });
    await createSubscriptionRow(t.db, account, { periodEnd: "2027-03-01T12:20:01Z" });
    for (const status of ["past_due", "trialing", "canceled", "paused", "unpaid"] as const) {
      await createSubscriptionRow(t.db, account, { status, periodEnd: "2027-02-01T00:00:00Z" });
    }

    const report = await sweepHourly(deps());

    expect(report.periodTransitions).toMatchObject({ found: 1, enqueued: 1 });
    expect(await outboxRows(t.db, "subscription-advance-batch")).toEqual([
      { key: `${ended}@2027-03-01T12:00:00.000Z`, payload: { subscriptionIds: [ended] } },
    ]);
  });

  it("hands a run whose lease expired back to billing-run, keyed by the lease", async () => {
    const expired = await createBillingRun(t.db, account, { status: "in_progress", leaseUntil: "2027-03-01T12:05:00Z" });
    await createBillingRun(t.db, account, { status: "in_progress", leaseUntil: "2027-03-01T12:25:00Z" });
    await createBillingRun(t.db, account, { status: "awaiting_payment", leaseUntil: "2027-03-01T11:00:00Z", scheduledFor: "2027-03-02T00:00:00Z" });

    const report = await sweepHourly(deps());

    expect(report.expiredLeases).toMatchObject({ found: 1, enqueued: 1 });
    expect(await outboxRows(t.db, "billing-run")).toEqual([
      { key: `${expired}@lease:2027-03-01T12:05:00.000Z`, payload: { billingRunId: expired } },
    ]);
  });

  describe("stale payments", () => {
    const at = (hoursAgo: number) => new Date(Date.parse("2027-03-01T12:20:00Z") - hoursAgo * 3_600_000).toISOString();

    it("gives a card 24 hours and a US bank debit 168 by default", async () => {
      const card25 = await createPayment(t.db, account, { createdAt: at(25), methodType: "card" });
      const card24 = await createPayment(t.db, account, { createdAt: at(24), methodType: "card", status: "requires_action" });
      await createPayment(t.db, account, { createdAt: at(23.9), methodType: "card" });
      await createPayment(t.db, account, { createdAt: at(25), methodType: "us_bank_account" });
      await createPayment(t.db, account, { createdAt: at(167), methodType: "us_bank_account" });
      const bank168 = await createPayment(t.db, account, { createdAt: at(168), methodType: "us_bank_account" });
      for (const status of ["succeeded", "failed", "canceled"] as const) {
        await createPayment(t.db, account, { createdAt: at(500), methodType: "card", status });
      }

      const report = await sweepHourly(deps());

      expect(report.stalePayments).toMatchObject({ found: 3, enqueued: 3 });
      expect(await enqueuedIds(t.db, "payment-timeout")).toEqual([card25, card24, bank168].sort());
      expect((await outboxRows(t.db, "payment-timeout")).map((r) => r.key)).toContain(`${card25}@2027-03-01T12:00:00.000Z`);
    });

    it("follows the organization's own windows, a missing type falling back to its card value, and that to 24 hours", async () => {
      const strict = await createAccount(t.db, { card: 2, us_bank_account: 48 });
      const strictCard = await createPayment(t.db, strict, { createdAt: at(3), methodType: "card" });
      await createPayment(t.db, strict, { createdAt: at(47), methodType: "us_bank_account" });
      const strictBank = await createPayment(t.db, strict, { createdAt: at(49), methodType: "us_bank_account" });
      // sepa_debit is not in this organization's JSON: its card value (2 h) applies.
      const strictSepa = await createPayment(t.db, strict, { createdAt: at(3), methodType: "sepa_debit" });
      // No payment method at all: the card window.
      const strictNone = await createPayment(t.db, strict, { createdAt: at(3), methodType: null });

      const cardless = await createAccount(t.db, { us_bank_account: 100, link: "six" });
      await createPayment(t.db, cardless, { createdAt: at(23), methodType: "sepa_debit" });
      const cardlessSepa = await createPayment(t.db, cardless, { createdAt: at(24), methodType: "sepa_debit" });
      // A value that is not a number falls back like a missing one, without failing the sweep.
      const cardlessLink = await createPayment(t.db, cardless, { createdAt: at(24), methodType: "link" });
      await createPayment(t.db, cardless, { createdAt: at(99), methodType: "us_bank_account" });

      await sweepHourly(deps());

      expect(await enqueuedIds(t.db, "payment-timeout")).toEqual([strictCard, strictBank, strictSepa, strictNone, cardlessSepa, cardlessLink].sort());
    });
  });

  it("catches up a missed tick and a whole day of downtime: everything due by now, however long ago", async () => {
    // The last sweep ran at 2027-03-01T11:00; the process was down until 2027-03-02T12:20.
    const runs = [
      await createBillingRun(t.db, account, { scheduledFor: "2027-03-01T11:30:00Z" }),
      await createBillingRun(t.db, account, { scheduledFor: "2027-03-01T18:00:00Z" }),
      await createBillingRun(t.db, account, { scheduledFor: "2027-03-02T12:00:00Z" }),
    ];
    const notYet = await createBillingRun(t.db, account, { scheduledFor: "2027-03-02T13:00:00Z" });
    const lease = await createBillingRun(t.db, account, { status: "in_progress", leaseUntil: "2027-03-02T02:00:00Z" });
    const subs = [
      await createSubscriptionRow(t.db, account, { periodEnd: "2027-03-01T12:00:00Z" }),
      await createSubscriptionRow(t.db, account, { periodEnd: "2027-03-02T00:00:00Z" }),
    ];
    const payment = await createPayment(t.db, account, { createdAt: "2027-03-01T06:00:00Z" });

    clock.set("2027-03-02T13:20:00Z");
    await sweepHourly(deps());

    expect(await enqueuedIds(t.db, "billing-run-batch")).toEqual([...runs, notYet].sort());
    expect(await enqueuedIds(t.db, "billing-run")).toEqual([lease]);
    expect(await enqueuedIds(t.db, "subscription-advance-batch")).toEqual(subs.sort());
    expect(await enqueuedIds(t.db, "payment-timeout")).toEqual([payment]);
  });

  it("pages through the due rows by id: 10 due runs with pages of 3 are 4 batches from 4 pages, each run in one", async () => {
    const runs: string[] = [];
    for (let i = 0; i < 10; i++) runs.push(await createBillingRun(t.db, account, { scheduledFor: "2027-03-01T00:00:00Z" }));

    const report = await sweepHourly(deps(), { pageSize: 3 });

    expect(report.dueRuns).toEqual({ found: 10, enqueued: 4, pages: 4 });
    expect(report.pages).toBe(4);
    expect((await outboxRows(t.db, "billing-run-batch")).map((r) => r.payload.billingRunIds!.length).sort()).toEqual([1, 3, 3, 3]);
    expect(await enqueuedIds(t.db, "billing-run-batch")).toEqual(runs.sort());
  });

  it("splits a page into batches of RUN_BATCH_SIZE runs and ADVANCE_BATCH_SIZE subscriptions", async () => {
    const runs: string[] = [];
    for (let i = 0; i < RUN_BATCH_SIZE + 1; i++) runs.push(await createBillingRun(t.db, account, { scheduledFor: "2027-03-01T00:00:00Z" }));
    const subs: string[] = [];
    for (let i = 0; i < ADVANCE_BATCH_SIZE + 1; i++) subs.push(await createSubscriptionRow(t.db, account, { periodEnd: "2027-03-01T12:00:00Z" }));

    await sweepHourly(deps());

    expect((await outboxRows(t.db, "billing-run-batch")).map((r) => r.payload.billingRunIds!.length).sort((a, b) => a - b)).toEqual([1, RUN_BATCH_SIZE]);
    expect(await enqueuedIds(t.db, "billing-run-batch")).toEqual(runs.sort());
    expect((await outboxRows(t.db, "subscription-advance-batch")).map((r) => r.payload.subscriptionIds!.length).sort((a, b) => a - b)).toEqual([1, ADVANCE_BATCH_SIZE]);
    expect(await enqueuedIds(t.db, "subscription-advance-batch")).toEqual(subs.sort());
  });

  it("enqueues once per tick: a second firing in the same hour adds no outbox row", async () => {
    const run = await createBillingRun(t.db, account);
    const sub = await createSubscriptionRow(t.db, account, { periodEnd: "2027-03-01T00:00:00Z" });

    await sweepHourly(deps());
    clock.set("2027-03-01T12:59:59Z");
    const again = await sweepHourly(deps(), { pageSize: 1 });

    expect(again.dueRuns).toEqual({ found: 1, enqueued: 0, pages: 1 });
    expect(again.periodTransitions).toEqual({ found: 1, enqueued: 0, pages: 1 });
    expect(await enqueuedIds(t.db, "billing-run-batch")).toEqual([run]);
    expect(await enqueuedIds(t.db, "subscription-advance-batch")).toEqual([sub]);
  });

  it("enqueues a row again at the next hour's tick when it is still due, so a lost run never strands it", async () => {
    const run = await createBillingRun(t.db, account);
    const payment = await createPayment(t.db, account, { createdAt: "2027-02-01T00:00:00Z" });

    await sweepHourly(deps());
    clock.set("2027-03-01T13:00:00Z");
    await sweepHourly(deps());

    expect((await outboxRows(t.db, "billing-run-batch")).map((r) => r.key)).toEqual([`${run}@2027-03-01T12:00:00.000Z`, `${run}@2027-03-01T13:00:00.000Z`]);
    expect((await outboxRows(t.db, "payment-timeout")).map((r) => r.key)).toEqual([`${payment}@2027-03-01T12:00:00.000Z`, `${payment}@2027-03-01T13:00:00.000Z`]);
  });
});
