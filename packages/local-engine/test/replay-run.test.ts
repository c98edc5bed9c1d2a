import { describe, expect, it } from "vitest";
import { silentLogger, systemClock, TestClock } from "@paycron/core";
import { withTransaction } from "@paycron/db";
import { useTestDb } from "@paycron/db/testing";
import { enqueueUnchecked } from "@paycron/runtime";
import { replayRun, showRun } from "@paycron/local-engine";
import { runUntilIdle } from "@paycron/local-engine/testing";
import { FIXTURES_DIR } from "../../../tests/support/task-fixtures.ts";

const t = useTestDb();
const drain = () => runUntilIdle({ db: t.db, connectionString: t.url, clock: systemClock, tasksDir: FIXTURES_DIR, logger: silentLogger() });
const runOf = (outboxId: string) => t.db.selectFrom("task_runs").selectAll().where("outbox_id", "=", outboxId).executeTakeFirstOrThrow();

describe("replayRun", () => {
  it("enqueues a new run of the same task and payload under a new key, linked to the original, and the engine runs it", async () => {
    const first = await withTransaction(t.db, (tx) =>
      enqueueUnchecked(tx, "echo", { value: "again" }, { idempotencyKey: "replay-me", concurrencyKey: "tenant-1", clock: systemClock }),
    );
    await drain();
    const original = await runOf(first.id);
    expect(original).toMatchObject({ status: "completed", output: { echo: "again", attempt: 1 } });

    const replayed = await replayRun({ db: t.db, clock: systemClock }, original.id);
    expect(replayed).toEqual({ outboxId: expect.any(String), taskId: "echo", replayOf: original.id, idempotencyKey: expect.any(String) });
    expect(replayed.idempotencyKey).not.toBe("replay-me");
    const row = await t.db.selectFrom("task_outbox").selectAll().where("id", "=", replayed.outboxId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ task_id: "echo", payload: { value: "again" }, concurrency_key: "tenant-1", replay_of: original.id, parent_run_id: null, dispatched_at: null });

    await drain();
    const replay = await runOf(replayed.outboxId);
    expect(replay).toMatchObject({ status: "completed", output: { echo: "again", attempt: 1, runId: replay.id }, concurrency_key: "tenant-1" });
    expect(replay.id).not.toBe(original.id);

    const shownReplay = await showRun({ db: t.db, clock: systemClock }, replay.id);
    expect(shownReplay).toMatchObject({ replay_of: { id: original.id, task_id: "echo", status: "completed", pending: false }, parent: null });
    const shownOriginal = await showRun({ db: t.db, clock: systemClock }, original.id);
    expect(shownOriginal).toMatchObject({ replay_of: null, replays: [{ id: replay.id, task_id: "echo", status: "completed", pending: false }], children: [] });
  });

  it("replays a failed run as well, and each replay is a new run", async () => {
    const enqueued = await withTransaction(t.db, (tx) => enqueueUnchecked(tx, "abort", {}, { clock: systemClock }));
    await drain();
    const failed = await runOf(enqueued.id);
    expect(failed.status).toBe("failed");
    const a = await replayRun({ db: t.db, clock: systemClock }, failed.id);
    const b = await replayRun({ db: t.db, clock: systemClock }, failed.id);
    expect(a.outboxId).not.toBe(b.outboxId);
    await drain();
    // Dispatched in one statement, the two share a created_at: their order is not asserted.
    const replays = (await showRun({ db: t.db, clock: systemClock }, failed.id))!.replays.map((r) => [r.id, r.status]);
    expect(replays.sort()).toEqual([[(await runOf(a.outboxId)).id, "failed"], [(await runOf(b.outboxId)).id, "failed"]].sort());
  });

  it("refuses a run that is not dispatched yet, and an unknown one", async () => {
    const clock = new TestClock("2026-12-10T09:00:00Z");
    const delayed = await withTransaction(t.db, (tx) => enqueueUnchecked(tx, "echo", { value: "later" }, { delay: "1h", clock }));
    await expect(replayRun({ db: t.db, clock }, delayed.id)).rejects.toThrow(`run ${delayed.id} has not been dispatched yet: there is nothing to replay`);
    await expect(replayRun({ db: t.db, clock }, "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f")).rejects.toThrow("no run 6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f");
  });
});
