import { sql } from "kysely";
import { beforeEach, describe, expect, it } from "vitest";
import { TestClock } from "@paycron/core";
import { useTestDb, waitFor } from "@paycron/db/testing";
import { createWebhookInbox } from "../src/index.ts";

const t = useTestDb();
const clock = new TestClock("2026-03-01T12:00:00Z");
beforeEach(async () => {
  await t.db.deleteFrom("task_outbox").execute();
  await t.db.deleteFrom("webhook_events").execute();
});

const input = (id: string) => ({ provider: "stripe" as const, providerEventId: id, type: "charge.refunded", payload: { id }, taskId: "stripe-charge-refunded" as const });
const ids = (n: number) => Array.from({ length: n }, (_, i) => `evt_${i}`);

/** Advisory lock key of the commit gate below. */
const GATE = 7_301;

/**
 * Makes every commit that wrote a webhook_events row wait at the gate: a deferred trigger runs at
 * COMMIT and asks for a shared lock on GATE, which the caller holds exclusively until it lets go.
 */
async function withCommitsHeld(test: (release: () => Promise<void>, waitingAtGate: () => Promise<number>) => Promise<void>) {
  await sql`create function test_commit_gate() returns trigger language plpgsql as $$
    begin perform pg_advisory_xact_lock_shared(${sql.lit(GATE)}); return null; end $$`.execute(t.db);
  await sql`create constraint trigger test_commit_gate after insert on webhook_events
    deferrable initially deferred for each row execute function test_commit_gate()`.execute(t.db);
  try {
    await t.db.connection().execute(async (holder) => {
      await sql`select pg_advisory_lock(${GATE})`.execute(holder);
      let held = true;
      const release = async () => {
        held = false;
        await sql`select pg_advisory_unlock(${GATE})`.execute(holder);
      };
      const waitingAtGate = async () =>
        (await sql<{ n: number }>`select count(*)::int as n from pg_locks where locktype = 'advisory' and objid = ${GATE} and not granted`.execute(t.db)).rows[0]!.n;
      try {
        await test(release, waitingAtGate);
      } finally {
        if (held) await release();
      }
    });
  } finally {
    await sql`drop trigger test_commit_gate on webhook_events`.execute(t.db);
    await sql`drop function test_commit_gate()`.execute(t.db);
  }
}

describe("WebhookInbox (group commit)", () => {
  it("puts concurrent deliveries in shared transactions: the first ones alone, the queued ones in batches of at most maxBatch", async () => {
    const inbox = createWebhookInbox(t.db, clock, { parallel: 2, maxBatch: 100 });
    await Promise.all(ids(200).map((id) => inbox.record(input(id))));
    // A transaction's rows carry its id as xmin.
    const { rows } = await sql<{ events: number }>`select count(*)::int as events from webhook_events group by xmin::text order by 1`.execute(t.db);
    // Two arrive while transactions are free and are stored at once; the other 198 queue behind them.
    expect(rows.map((r) => r.events)).toEqual([1, 1, 98, 100]);
    expect(await t.db.selectFrom("task_outbox").select("id").execute()).toHaveLength(200);
  });

  it("answers each caller only after its own event has committed", async () => {
    const inbox = createWebhookInbox(t.db, clock, { parallel: 2, maxBatch: 20 });
    await withCommitsHeld(async (release, waitingAtGate) => {
      const answered: string[] = [];
      const visibleWhenAnswered = ids(50).map((id) =>
        inbox.record(input(id)).then(async (recorded) => {
          answered.push(id);
          // Another connection: it sees the row only once the row's transaction has committed.
          return (await t.db.selectFrom("webhook_events").select("provider_event_id").where("id", "=", recorded.id).executeTakeFirst())?.provider_event_id;
        }),
      );
      await waitFor(async () => (await waitingAtGate()) === 2, "both open transactions to wait at their commit");
      expect(answered).toEqual([]);
      await release();
      expect(await Promise.all(visibleWhenAnswered)).toEqual(ids(50));
    });
  });

  it("stores the good events of a batch and rejects only the one that cannot be stored", async () => {
    const inbox = createWebhookInbox(t.db, clock, { parallel: 1, maxBatch: 10 });
    const settled = await Promise.allSettled([
      inbox.record(input("evt_1")),
      inbox.record(input("evt_2")),
      inbox.record({ ...input("evt_bad"), payload: { id: "x\u0000" } }),
      inbox.record(input("evt_3")),
    ]);
    expect(settled.map((s) => s.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
    expect((settled[2] as PromiseRejectedResult).reason).toMatchObject({ code: "webhook_payload_unstorable" });
    const stored = await t.db.selectFrom("webhook_events").select("provider_event_id").orderBy("provider_event_id").execute();
    expect(stored.map((r) => r.provider_event_id)).toEqual(["evt_1", "evt_2", "evt_3"]);
    expect(await t.db.selectFrom("task_outbox").select("id").execute()).toHaveLength(3);
  });
});
