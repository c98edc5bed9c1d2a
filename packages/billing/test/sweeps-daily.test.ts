import { beforeEach, describe, expect, it } from "vitest";
import { silentLogger, TestClock } from "@paycron/core";
import type { WebhookEventStatus } from "@paycron/db";
import { useTestDb } from "@paycron/db/testing";
import { pruneWebhookEvents } from "@paycron/inbox";
import { sweepDaily } from "../src/index.ts";
import { createAccount, createBillingRun, createSubscriptionRow, emptyTables, enqueuedIds, outboxRows, type Account } from "./sweeps-fixtures.ts";

const t = useTestDb();
const clock = new TestClock("2027-03-10T00:10:00Z");
const deps = () => ({ db: t.db, clock, logger: silentLogger() });
let account: Account;

beforeEach(async () => {
  clock.set("2027-03-10T00:10:00Z");
  await emptyTables(t.db);
  account = await createAccount(t.db);
});

describe("sweepDaily", () => {
  it("enqueues dunning-finalize for past_due subscriptions with no live billing run in any period", async () => {
    const exhausted = await createSubscriptionRow(t.db, account, { status: "past_due" });
    await createBillingRun(t.db, account, { subscriptionId: exhausted, status: "failed" });
    await createBillingRun(t.db, account, { subscriptionId: exhausted, status: "aborted" });
    const noRuns = await createSubscriptionRow(t.db, account, { status: "past_due" });
    // Still on the ladder: a retry scheduled, running or awaiting its payment, in any of its periods.
    for (const status of ["scheduled", "in_progress", "awaiting_payment"] as const) {
      const onLadder = await createSubscriptionRow(t.db, account, { status: "past_due" });
      await createBillingRun(t.db, account, { subscriptionId: onLadder, status: "failed" });
      await createBillingRun(t.db, account, { subscriptionId: onLadder, status, scheduledFor: "2027-03-12T00:00:00Z" });
    }
    await createSubscriptionRow(t.db, account, { status: "active" });
    await createSubscriptionRow(t.db, account, { status: "unpaid" });

    const report = await sweepDaily(deps());

    expect(report.dunning).toEqual({ found: 2, enqueued: 2, pages: 1 });
    expect(await enqueuedIds(t.db, "dunning-finalize")).toEqual([exhausted, noRuns].sort());
    expect((await outboxRows(t.db, "dunning-finalize")).map((r) => r.key)).toContain(`${exhausted}@2027-03-10T00:00:00.000Z`);
  });

  it("enqueues subscription-expire-incomplete for incomplete subscriptions 23 hours old or more", async () => {
    const old = await createSubscriptionRow(t.db, account, { status: "incomplete", createdAt: "2027-02-01T00:00:00Z" });
    const exactly23h = await createSubscriptionRow(t.db, account, { status: "incomplete", createdAt: "2027-03-09T01:10:00Z" });
    await createSubscriptionRow(t.db, account, { status: "incomplete", createdAt: "2027-03-09T01:10:01Z" });
    await createSubscriptionRow(t.db, account, { status: "incomplete_expired", createdAt: "2027-02-01T00:00:00Z" });
    await createSubscriptionRow(t.db, account, { status: "active", createdAt: "2027-02-01T00:00:00Z" });

    const report = await sweepDaily(deps());

    expect(report.incompleteExpiry).toMatchObject({ found: 2, enqueued: 2 });
    expect(await enqueuedIds(t.db, "subscription-expire-incomplete")).toEqual([old, exactly23h].sort());
  });

  it("catches up days of downtime, pages, enqueues once per day and again the next day", async () => {
    const subs: string[] = [];
    for (let i = 0; i < 7; i++) subs.push(await createSubscriptionRow(t.db, account, { status: "past_due" }));

    clock.set("2027-03-14T00:10:00Z");
    expect((await sweepDaily(deps(), { pageSize: 3 })).dunning).toEqual({ found: 7, enqueued: 7, pages: 3 });
    clock.set("2027-03-14T23:59:59Z");
    expect((await sweepDaily(deps(), { pageSize: 3 })).dunning).toMatchObject({ found: 7, enqueued: 0 });
    clock.set("2027-03-15T00:10:00Z");
    expect((await sweepDaily(deps(), { pageSize: 3 })).dunning).toMatchObject({ found: 7, enqueued: 7 });

    const keys = (await outboxRows(t.db, "dunning-finalize")).map((r) => r.key);
    expect(keys).toHaveLength(14);
    expect(keys.filter((k) => k.endsWith("@2027-03-15T00:00:00.000Z"))).toHaveLength(7);
    expect(await enqueuedIds(t.db, "dunning-finalize")).toEqual([...subs, ...subs].sort());
  });

  describe("retention", () => {
    const event = (status: WebhookEventStatus, receivedAt: string) =>
      t.db
        .insertInto("webhook_events")
        .values({ provider: "stripe", provider_event_id: `evt_${status}_${receivedAt}`, type: "x", payload: "{}", status, received_at: new Date(receivedAt) })
        .returning("id")
        .executeTakeFirstOrThrow()
        .then((r) => r.id);

    it("deletes settled webhook events older than 90 days, keeps unhandled, received, failed and recent ones", async () => {
      const old = "2026-12-09T00:00:00Z"; // 91 days before now
      await event("processed", old);
      await event("ignored", old);
      const kept = [
        await event("unhandled", old),
        await event("received", old),
        await event("failed", old),
        await event("processed", "2026-12-11T00:00:00Z"),
        await event("ignored", "2026-12-11T00:00:00Z"),
      ];
      await t.db
        .insertInto("task_runs")
        .values([
          // Stamped and aged by the database's clock, not the test clock.
          { task_id: "x", status: "completed", payload: "{}", finished_at: new Date(Date.now() - 40 * 86_400_000), idempotency_key: "old" },
          { task_id: "x", status: "completed", payload: "{}", finished_at: new Date(Date.now() - 10 * 86_400_000), idempotency_key: "recent" },
        ])
        .execute();

      const report = await sweepDaily(deps());

      expect(report.retention).toMatchObject({ webhookEvents: { deleted: 2 }, runtime: { runsDeleted: 1 } });
      const left = (await t.db.selectFrom("webhook_events").select("id").execute()).map((r) => r.id);
      expect(left.sort()).toEqual(kept.sort());
    });

    it("prunes in batches until none is left", async () => {
      for (let i = 0; i < 5; i++) await event("processed", `2026-01-0${i + 1}T00:00:00Z`);
      const recent = await event("processed", "2027-03-09T12:00:00Z");

      expect(await pruneWebhookEvents(deps(), { olderThanDays: 1, batchSize: 2 })).toEqual({ deleted: 5 });
      expect((await t.db.selectFrom("webhook_events").select("id").execute()).map((r) => r.id)).toEqual([recent]);
    });
  });
});
