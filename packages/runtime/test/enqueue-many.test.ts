import { randomUUID } from "node:crypto";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { TestClock } from "@paycron/core";
import { withTransaction } from "@paycron/db";
import { useTestDb, waitFor } from "@paycron/db/testing";
import { enqueue, enqueueMany, OUTBOX_CHANNEL } from "@paycron/runtime";

const t = useTestDb();
const TASK = "stripe-payment-intent-succeeded" as const;
const item = (key: string) => ({ taskId: TASK, payload: { webhookEventId: randomUUID() }, options: { idempotencyKey: key } });

async function rowsWithKey(key: string) {
  return t.db.selectFrom("task_outbox").select(["id", "idempotency_key"]).where("idempotency_key", "like", `${key}%`).execute();
}

describe("enqueueMany", () => {
  it("inserts a batch in one go and keeps enqueue()'s key semantics for duplicates and live keys", async () => {
    const clock = new TestClock("2026-06-01T00:00:00Z");
    const live = await withTransaction(t.db, (tx) => enqueue(tx, TASK, { webhookEventId: randomUUID() }, { idempotencyKey: "many-live", clock }));
    const results = await withTransaction(t.db, (tx) =>
      enqueueMany(tx, clock, [item("many-a"), item("many-b"), item("many-a"), item("many-live")]),
    );
    expect(results.map((r) => r.created)).toEqual([true, true, false, false]);
    expect(results[2]!.id).toBe(results[0]!.id);
    expect(results[3]!.id).toBe(live.id);
    expect(await rowsWithKey("many-a")).toHaveLength(1);
    expect(await rowsWithKey("many-live")).toHaveLength(1);
  });

  it("gives an expired key a new run, as enqueue() does", async () => {
    const clock = new TestClock("2026-06-01T00:00:00Z");
    await withTransaction(t.db, (tx) => enqueueMany(tx, clock, [{ ...item("many-exp"), options: { idempotencyKey: "many-exp", idempotencyKeyTTL: "1h" } }]));
    clock.advance(2 * 3_600_000);
    const [again] = await withTransaction(t.db, (tx) => enqueueMany(tx, clock, [item("many-exp")]));
    expect(again!.created).toBe(true);
    expect((await rowsWithKey("many-exp")).map((r) => r.idempotency_key).sort()).toEqual(["many-exp", expect.stringMatching(/^many-exp#released:/)]);
  });

  it("rejects the whole batch when one payload breaks its contract, and writes nothing", async () => {
    const clock = new TestClock("2026-06-01T00:00:00Z");
    await expect(
      withTransaction(t.db, (tx) =>
        enqueueMany(tx, clock, [item("many-bad-1"), { taskId: TASK, payload: { webhookEventId: "not-a-uuid" }, options: { idempotencyKey: "many-bad-2" } }]),
      ),
    ).rejects.toMatchObject({ code: "INVALID_TASK_PAYLOAD" });
    expect(await rowsWithKey("many-bad")).toEqual([]);
  });

  it("wakes a dispatcher at commit with the task id, and says nothing when every key was taken", async () => {
    const clock = new TestClock("2026-06-01T00:00:00Z");
    const listener = new pg.Client({ connectionString: t.url });
    await listener.connect();
    const heard: string[] = [];
    listener.on("notification", (n) => heard.push(n.payload ?? ""));
    try {
      await listener.query(`LISTEN ${OUTBOX_CHANNEL}`);
      await withTransaction(t.db, (tx) => enqueueMany(tx, clock, [item("many-notify-1"), item("many-notify-2")]));
      await withTransaction(t.db, (tx) => enqueueMany(tx, clock, [item("many-notify-1")]));
      // Notifications arrive in commit order: once the next one is heard, the taken-key batch had its chance.
      const other = { taskId: "supabase-customers-insert" as const, payload: { webhookEventId: randomUUID() }, options: { idempotencyKey: "many-notify-3" } };
      await withTransaction(t.db, (tx) => enqueueMany(tx, clock, [other]));
      await waitFor(async () => heard.length >= 2, "the notifications");
      expect(heard).toEqual([TASK, other.taskId]);
    } finally {
      await listener.end();
    }
  });
});
