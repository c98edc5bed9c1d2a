import { sql } from "kysely";
import { beforeEach, describe, expect, it } from "vitest";
import { isDomainError, silentLogger, TestClock } from "@paycron/core";
import type { ItemKind, PriceInterval } from "@paycron/db";
import { createCustomer, createOrganization, createPrice, createSubscription, useTestDb, waitFor } from "@paycron/db/testing";
import { advanceSubscriptionPeriod, periodBounds, type AdvanceSubscriptionPeriodResult } from "../src/index.ts";

const t = useTestDb();
const clock = new TestClock("2027-03-01T00:00:00Z");
const deps = () => ({ db: t.db, clock, logger: silentLogger() });

beforeEach(() => clock.set("2027-03-01T00:00:00Z"));

interface Setup {
  anchor: string;
  periodStart?: string;
  periodEnd: string;
  timezone?: string;
  interval?: PriceInterval;
  intervalCount?: number;
  kinds?: ItemKind[];
  status?: "active" | "canceled" | "past_due" | "trialing";
  cancelAtPeriodEnd?: boolean;
}

/** A subscription with its current period as a billing_periods row, the way a sign-up leaves it. */
async function subscription(setup: Setup) {
  const organization = await createOrganization(t.db, { timezone: setup.timezone ?? "UTC" });
  const customer = await createCustomer(t.db, { organization_id: organization.id });
  const start = new Date(setup.periodStart ?? setup.anchor);
  const sub = await createSubscription(t.db, {
    organization_id: organization.id,
    customer_id: customer.id,
    billing_cycle_anchor: new Date(setup.anchor),
    current_period_start: start,
    current_period_end: new Date(setup.periodEnd),
    status: setup.status ?? "active",
    canceled_at: setup.status === "canceled" ? start : null,
    cancel_at_period_end: setup.cancelAtPeriodEnd ?? false,
  });
  for (const kind of setup.kinds ?? ["static"]) {
    const price = await createPrice(t.db, {
      organization_id: organization.id,
      interval: setup.interval ?? "month",
      interval_count: setup.intervalCount ?? 1,
    });
    await t.db.insertInto("subscription_items").values({ subscription_id: sub.id, price_id: price.id, kind }).execute();
  }
  await t.db
    .insertInto("billing_periods")
    .values({ subscription_id: sub.id, starts_at: start, ends_at: new Date(setup.periodEnd), status: "active" })
    .execute();
  return sub.id;
}

const periodsOf = (subscriptionId: string) =>
  t.db
    .selectFrom("billing_periods")
    .select(["id", "starts_at", "ends_at", "status"])
    .where("subscription_id", "=", subscriptionId)
    .orderBy("starts_at")
    .execute();

const runsOf = (subscriptionId: string) =>
  t.db
    .selectFrom("billing_runs")
    .innerJoin("billing_periods", "billing_periods.id", "billing_runs.billing_period_id")
    .select(["billing_runs.attempt", "billing_runs.status", "billing_runs.scheduled_for", "billing_periods.starts_at"])
    .where("billing_runs.subscription_id", "=", subscriptionId)
    .orderBy("billing_periods.starts_at")
    .execute();

const currentPeriodOf = (subscriptionId: string) =>
  t.db
    .selectFrom("subscriptions")
    .select(["current_period_start", "current_period_end"])
    .where("id", "=", subscriptionId)
    .executeTakeFirstOrThrow();

/**
 * Starts `calls` transitions while another transaction holds the subscription's row, and lets go
 * only once all of them wait on it: each has passed its own checks by then, so they truly race.
 */
async function racing(subscriptionId: string, calls: number): Promise<AdvanceSubscriptionPeriodResult[]> {
  let release!: () => void;
  let locked!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const lockTaken = new Promise<void>((r) => (locked = r));
  const holder = t.db.transaction().execute(async (tx) => {
    await tx.selectFrom("subscriptions").select("id").where("id", "=", subscriptionId).forUpdate().execute();
    locked();
    await held;
  });
  await lockTaken;
  const results = Promise.all(Array.from({ length: calls }, () => advanceSubscriptionPeriod(deps(), { subscriptionId })));
  await waitFor(async () => {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(t.db);
    return rows[0]!.n >= calls;
  }, `${calls} transitions waiting on the subscription row`);
  release();
  await holder;
  return results;
}

describe("advanceSubscriptionPeriod", () => {
  it("closes the ended period, opens the next from the anchor and schedules its run, in advance", async () => {
    const id = await subscription({ anchor: "2027-01-31T00:00:00Z", periodStart: "2027-01-31T00:00:00Z", periodEnd: "2027-02-28T00:00:00Z" });
    clock.set("2027-03-01T00:00:00Z");

    const result = await advanceSubscriptionPeriod(deps(), { subscriptionId: id });

    expect(result).toMatchObject({ outcome: "advanced", opened: [{ start: new Date("2027-02-28T00:00:00Z"), end: new Date("2027-03-31T00:00:00Z"), status: "active" }] });
    expect(await periodsOf(id)).toMatchObject([
      { starts_at: new Date("2027-01-31T00:00:00Z"), ends_at: new Date("2027-02-28T00:00:00Z"), status: "completed" },
      { starts_at: new Date("2027-02-28T00:00:00Z"), ends_at: new Date("2027-03-31T00:00:00Z"), status: "active" },
    ]);
    expect(await runsOf(id)).toEqual([
      { attempt: 1, status: "scheduled", scheduled_for: new Date("2027-02-28T00:00:00Z"), starts_at: new Date("2027-02-28T00:00:00Z") },
    ]);
    expect(await currentPeriodOf(id)).toEqual({ current_period_start: new Date("2027-02-28T00:00:00Z"), current_period_end: new Date("2027-03-31T00:00:00Z") });

    // Month-end kept: the period after Feb 28 runs to Mar 31, then Apr 30.
    clock.set("2027-04-15T00:00:00Z");
    await advanceSubscriptionPeriod(deps(), { subscriptionId: id });
    expect((await periodsOf(id)).map((p) => p.starts_at.toISOString().slice(0, 10))).toEqual(["2027-01-31", "2027-02-28", "2027-03-31"]);
    expect(await currentPeriodOf(id)).toMatchObject({ current_period_end: new Date("2027-04-30T00:00:00Z") });
  });

  it("does nothing before the period ends, and exactly at its end opens the next", async () => {
    const id = await subscription({ anchor: "2027-02-01T00:00:00Z", periodEnd: "2027-03-01T00:00:00Z" });
    clock.set("2027-02-28T23:59:59.999Z");
    expect(await advanceSubscriptionPeriod(deps(), { subscriptionId: id })).toEqual({ outcome: "not_due", currentPeriodEnd: new Date("2027-03-01T00:00:00Z") });
    expect(await periodsOf(id)).toHaveLength(1);
    expect(await runsOf(id)).toEqual([]);

    clock.set("2027-03-01T00:00:00Z");
    expect((await advanceSubscriptionPeriod(deps(), { subscriptionId: id })).outcome).toBe("advanced");
  });

  it("called twice, opens one period and schedules one run", async () => {
    const id = await subscription({ anchor: "2027-02-01T00:00:00Z", periodEnd: "2027-03-01T00:00:00Z" });
    expect((await advanceSubscriptionPeriod(deps(), { subscriptionId: id })).outcome).toBe("advanced");
    expect(await advanceSubscriptionPeriod(deps(), { subscriptionId: id })).toEqual({ outcome: "not_due", currentPeriodEnd: new Date("2027-04-01T00:00:00Z") });
    expect(await periodsOf(id)).toHaveLength(2);
    expect(await runsOf(id)).toHaveLength(1);
  });

  it("10 concurrent calls on separate connections open one period and schedule one run", async () => {
    const id = await subscription({ anchor: "2027-02-01T00:00:00Z", periodEnd: "2027-03-01T00:00:00Z" });

    const results = await racing(id, 10);

    expect(results.filter((r) => r.outcome === "advanced")).toHaveLength(1);
    expect(results.filter((r) => r.outcome === "not_due")).toHaveLength(9);
    expect(await periodsOf(id)).toHaveLength(2);
    expect(await runsOf(id)).toHaveLength(1);
  });

  it("after downtime, catches up to the period holding now: each missed period once, each with its run", async () => {
    const id = await subscription({ anchor: "2026-10-31T00:00:00Z", periodStart: "2026-10-31T00:00:00Z", periodEnd: "2026-11-30T00:00:00Z" });
    clock.set("2027-03-05T00:00:00Z");

    const results = await racing(id, 10);

    expect(results.filter((r) => r.outcome === "advanced")).toHaveLength(1);
    const periods = await periodsOf(id);
    expect(periods.map((p) => [p.starts_at.toISOString().slice(0, 10), p.status])).toEqual([
      ["2026-10-31", "completed"],
      ["2026-11-30", "completed"],
      ["2026-12-31", "completed"],
      ["2027-01-31", "completed"],
      ["2027-02-28", "active"],
    ]);
    expect(periods.at(-1)!.ends_at).toEqual(new Date("2027-03-31T00:00:00Z"));
    const runs = await runsOf(id);
    expect(runs.map((r) => r.scheduled_for.toISOString().slice(0, 10))).toEqual(["2026-11-30", "2026-12-31", "2027-01-31", "2027-02-28"]);
    expect(runs.every((r) => r.attempt === 1 && r.status === "scheduled")).toBe(true);
    expect(await currentPeriodOf(id)).toEqual({ current_period_start: new Date("2027-02-28T00:00:00Z"), current_period_end: new Date("2027-03-31T00:00:00Z") });
  });

  it("keeps periods contiguous over a year of daily transitions in Europe/Paris, across both DST changes", async () => {
    // Daily at local midnight from 2027-01-01 (CET, UTC+1).
    const id = await subscription({ anchor: "2026-12-31T23:00:00Z", periodEnd: "2027-01-01T23:00:00Z", timezone: "Europe/Paris", interval: "day" });
    for (let day = 1; day <= 365; day += 37) {
      clock.set(new Date(Date.UTC(2027, 0, 1 + day, 12)));
      await advanceSubscriptionPeriod(deps(), { subscriptionId: id });
    }
    const periods = await periodsOf(id);
    expect(periods.length).toBeGreaterThan(300);
    for (let i = 1; i < periods.length; i++) expect(periods[i]!.starts_at).toEqual(periods[i - 1]!.ends_at);
    const lengths = new Set(periods.map((p) => (p.ends_at.getTime() - p.starts_at.getTime()) / 3_600_000));
    expect([...lengths].sort()).toEqual([23, 24, 25]);
    expect(await runsOf(id)).toHaveLength(periods.length - 1);
  });

  it("opens a month at local midnight in the organization's timezone (Asia/Tokyo)", async () => {
    // 2027-01-01 00:00 in Tokyo is 2026-12-31 15:00 UTC.
    const id = await subscription({ anchor: "2026-12-31T15:00:00Z", periodEnd: "2027-01-31T15:00:00Z", timezone: "Asia/Tokyo" });
    clock.set("2027-02-01T00:00:00Z");
    await advanceSubscriptionPeriod(deps(), { subscriptionId: id });
    expect(await currentPeriodOf(id)).toEqual({ current_period_start: new Date("2027-01-31T15:00:00Z"), current_period_end: new Date("2027-02-28T15:00:00Z") });
  });

  it("agrees with periodBounds for an every-3-months cadence", async () => {
    const anchor = "2026-08-31T06:00:00Z";
    const first = periodBounds({ anchor: new Date(anchor), interval: "month", intervalCount: 3, timezone: "America/New_York", index: 0 });
    const id = await subscription({ anchor, periodEnd: first.end.toISOString(), interval: "month", intervalCount: 3, timezone: "America/New_York" });
    clock.set("2027-01-15T00:00:00Z");
    await advanceSubscriptionPeriod(deps(), { subscriptionId: id });
    const second = periodBounds({ anchor: new Date(anchor), interval: "month", intervalCount: 3, timezone: "America/New_York", index: 1 });
    expect(await currentPeriodOf(id)).toEqual({ current_period_start: second.start, current_period_end: second.end });
    expect(second.start).toEqual(new Date("2026-11-30T07:00:00Z")); // Nov 30 02:00 EST, the anchor's 02:00 EDT kept
  });

  it("takes over a next period written ahead of time, and a run already scheduled for it", async () => {
    const id = await subscription({ anchor: "2027-02-01T00:00:00Z", periodEnd: "2027-03-01T00:00:00Z" });
    const ahead = await t.db
      .insertInto("billing_periods")
      .values({ subscription_id: id, starts_at: new Date("2027-03-01T00:00:00Z"), ends_at: new Date("2027-04-01T00:00:00Z"), status: "upcoming" })
      .returning("id")
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto("billing_runs")
      .values({ billing_period_id: ahead.id, subscription_id: id, attempt: 1, scheduled_for: new Date("2027-03-01T00:00:00Z"), status: "scheduled" })
      .execute();
    clock.set("2027-03-02T00:00:00Z");

    const result = await advanceSubscriptionPeriod(deps(), { subscriptionId: id });

    expect(result).toMatchObject({ outcome: "advanced", opened: [{ billingPeriodId: ahead.id, billingRunId: null, status: "active" }] });
    expect((await periodsOf(id)).map((p) => p.status)).toEqual(["completed", "active"]);
    expect(await runsOf(id)).toHaveLength(1);
  });

  it("re-joins the anchor's grid after a period that was off it (a trial ending mid-cycle)", async () => {
    // Anchored on the 15th, but the current period ends on the 20th: the next one is a short
    // period to the 15th, then whole months again.
    const id = await subscription({ anchor: "2027-01-15T00:00:00Z", periodStart: "2027-02-01T00:00:00Z", periodEnd: "2027-02-20T00:00:00Z" });
    clock.set("2027-03-20T00:00:00Z");
    await advanceSubscriptionPeriod(deps(), { subscriptionId: id });
    expect((await periodsOf(id)).map((p) => [p.starts_at.toISOString().slice(0, 10), p.ends_at.toISOString().slice(0, 10)])).toEqual([
      ["2027-02-01", "2027-02-20"],
      ["2027-02-20", "2027-03-15"],
      ["2027-03-15", "2027-04-15"],
    ]);
  });

  it("schedules a usage-only subscription's run at the period's end (in arrears)", async () => {
    const id = await subscription({ anchor: "2027-02-01T00:00:00Z", periodEnd: "2027-03-01T00:00:00Z", kinds: ["usage"] });
    await advanceSubscriptionPeriod(deps(), { subscriptionId: id });
    expect((await runsOf(id)).map((r) => r.scheduled_for)).toEqual([new Date("2027-04-01T00:00:00Z")]);
  });

  it("gives a canceled subscription no new period and no run", async () => {
    const id = await subscription({ anchor: "2027-02-01T00:00:00Z", periodEnd: "2027-03-01T00:00:00Z", status: "canceled" });
    expect(await advanceSubscriptionPeriod(deps(), { subscriptionId: id })).toEqual({ outcome: "skipped", reason: "canceled" });
    expect(await periodsOf(id)).toMatchObject([{ status: "active" }]);
    expect(await runsOf(id)).toEqual([]);
  });

  it("leaves past_due and cancel-at-period-end subscriptions to the flows that own them", async () => {
    const pastDue = await subscription({ anchor: "2027-02-01T00:00:00Z", periodEnd: "2027-03-01T00:00:00Z", status: "past_due" });
    const ending = await subscription({ anchor: "2027-02-01T00:00:00Z", periodEnd: "2027-03-01T00:00:00Z", cancelAtPeriodEnd: true });
    expect(await advanceSubscriptionPeriod(deps(), { subscriptionId: pastDue })).toEqual({ outcome: "skipped", reason: "past_due" });
    expect(await advanceSubscriptionPeriod(deps(), { subscriptionId: ending })).toEqual({ outcome: "skipped", reason: "cancellation_due" });
    expect(await periodsOf(pastDue)).toHaveLength(1);
    expect(await periodsOf(ending)).toHaveLength(1);
    expect(await runsOf(pastDue)).toEqual([]);
    expect(await runsOf(ending)).toEqual([]);
  });

  it("opens no period past a scheduled cancellation, even when catching up, and ends the last one at it", async () => {
    const id = await subscription({ anchor: "2026-11-30T00:00:00Z", periodEnd: "2026-12-30T00:00:00Z" });
    await t.db.updateTable("subscriptions").set({ cancel_at: new Date("2027-01-15T00:00:00Z") }).where("id", "=", id).execute();
    clock.set("2027-03-05T00:00:00Z");

    expect(await advanceSubscriptionPeriod(deps(), { subscriptionId: id })).toMatchObject({
      outcome: "advanced",
      opened: [{ start: new Date("2026-12-30T00:00:00Z"), end: new Date("2027-01-15T00:00:00Z"), status: "completed" }],
    });
    expect(await advanceSubscriptionPeriod(deps(), { subscriptionId: id })).toEqual({ outcome: "skipped", reason: "cancellation_due" });
    expect(await periodsOf(id)).toHaveLength(2);
    expect(await runsOf(id)).toHaveLength(1);
  });

  it("is one transaction: a failure while scheduling the run leaves the old period open and no new one", async () => {
    const id = await subscription({ anchor: "2027-02-01T00:00:00Z", periodEnd: "2027-03-01T00:00:00Z" });
    // A real failure inside the transaction, after the period was closed and the next one opened.
    await sql`
      create function fail_billing_run() returns trigger language plpgsql as $$
      begin raise exception 'run refused for the test'; end $$;
      create trigger fail_billing_run before insert on billing_runs for each row
        when (new.subscription_id = ${sql.lit(id)}::uuid) execute function fail_billing_run();
    `.execute(t.db);
    try {
      await expect(advanceSubscriptionPeriod(deps(), { subscriptionId: id })).rejects.toThrow(/run refused for the test/);
    } finally {
      await sql`drop trigger fail_billing_run on billing_runs; drop function fail_billing_run();`.execute(t.db);
    }
    expect(await periodsOf(id)).toMatchObject([{ status: "active", ends_at: new Date("2027-03-01T00:00:00Z") }]);
    expect(await currentPeriodOf(id)).toMatchObject({ current_period_end: new Date("2027-03-01T00:00:00Z") });

    expect((await advanceSubscriptionPeriod(deps(), { subscriptionId: id })).outcome).toBe("advanced");
    expect(await runsOf(id)).toHaveLength(1);
  });

  it("refuses an unknown subscription and one whose items disagree on the interval", async () => {
    const unknown = await advanceSubscriptionPeriod(deps(), { subscriptionId: "00000000-0000-4000-8000-000000000000" }).catch((e: unknown) => e);
    expect(isDomainError(unknown, "subscription_not_found")).toBe(true);
    const malformed = await advanceSubscriptionPeriod(deps(), { subscriptionId: "sub_123" }).catch((e: unknown) => e);
    expect(isDomainError(malformed, "subscription_not_found")).toBe(true);

    const mixed = await subscription({ anchor: "2027-02-01T00:00:00Z", periodEnd: "2027-03-01T00:00:00Z", kinds: ["static"] });
    const yearly = await createPrice(t.db, {
      organization_id: (await t.db.selectFrom("subscriptions").select("organization_id").where("id", "=", mixed).executeTakeFirstOrThrow()).organization_id,
      interval: "year",
    });
    await t.db.insertInto("subscription_items").values({ subscription_id: mixed, price_id: yearly.id, kind: "static" }).execute();
    const error = await advanceSubscriptionPeriod(deps(), { subscriptionId: mixed }).catch((e: unknown) => e);
    expect(isDomainError(error, "subscription_cadence_unknown")).toBe(true);
    expect(String(error)).toMatch(/1 month, 1 year|1 year, 1 month/);
    expect(await periodsOf(mixed)).toMatchObject([{ status: "active" }]);
  });
});
