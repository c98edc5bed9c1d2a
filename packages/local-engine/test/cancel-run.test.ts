import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { type Clock, silentLogger, systemClock, TestClock } from "@paycron/core";
import { withTransaction } from "@paycron/db";
import { useTestDb, waitFor } from "@paycron/db/testing";
import { enqueueUnchecked } from "@paycron/runtime";
import { loadTaskCatalog } from "@paycron/runtime/catalog";
import { cancelRun, dispatchNow, localEngine } from "@paycron/local-engine";
import { runUntilIdle } from "@paycron/local-engine/testing";
import { createClaimBatcher } from "../src/run-batches.ts";
import { RunExecutor } from "../src/run-executor.ts";
import { FIXTURES_DIR } from "../../../tests/support/task-fixtures.ts";

const t = useTestDb();
const logger = silentLogger();

/**
 * nested-spawn-child's code enqueues an echo run carrying its value: an echo row with that value
 * is the proof that the code ran.
 */
async function spawnChild(value: string, options: { clock?: Clock; delay?: string; key?: string } = {}) {
  const clock = options.clock ?? systemClock;
  const enqueued = await withTransaction(t.db, (tx) =>
    enqueueUnchecked(tx, "nested-spawn-child", { value }, { clock, delay: options.delay, idempotencyKey: options.key }),
  );
  await dispatchNow({ db: t.db, connectionString: t.url, clock, logger, engine: localEngine() }, [enqueued.id]);
  const run = await t.db.selectFrom("task_runs").selectAll().where("outbox_id", "=", enqueued.id).executeTakeFirst();
  return { outboxId: enqueued.id, run };
}

const codeRan = async (value: string) =>
  (await t.db.selectFrom("task_outbox").select("id").where("task_id", "=", "echo").where(sql<boolean>`payload->>'value' = ${value}`).execute()).length > 0;
const runById = (id: string) => t.db.selectFrom("task_runs").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const jobOf = async (runId: string) =>
  (await sql<{ key: string | null; attempts: number; max_attempts: number }>`
    select key, attempts, max_attempts from graphile_worker._private_jobs where payload->>'runId' = ${runId}`.execute(t.db)).rows[0];
const drain = (clock: Clock = systemClock) => runUntilIdle({ db: t.db, connectionString: t.url, clock, tasksDir: FIXTURES_DIR, logger });

describe("cancelRun", () => {
  it("cancels a queued run: its graphile job goes, and a worker runs nothing of it", async () => {
    const { run } = await spawnChild("queued-1");
    expect(run).toMatchObject({ status: "queued" });
    expect(await jobOf(run!.id)).toMatchObject({ key: `run:${run!.id}` });

    expect(await cancelRun({ db: t.db, clock: systemClock }, run!.id)).toEqual({ canceled: true, runId: run!.id, taskId: "nested-spawn-child", was: "queued", outboxId: run!.outbox_id });
    expect(await jobOf(run!.id)).toBeUndefined();
    await drain();
    expect(await runById(run!.id)).toMatchObject({ status: "canceled", attempt: 0, started_at: null, finished_at: expect.any(Date) });
    expect(await codeRan("queued-1")).toBe(false);
  });

  it("leaves a job a worker already fetched unable to run the code: the claim does not take a canceled run", async () => {
    const { run } = await spawnChild("fetched-1");
    // What graphile does when a worker fetches the job ahead of running it (its local queue).
    await sql`update graphile_worker._private_jobs set locked_at = now(), locked_by = 'fetching-worker' where key = ${`run:${run!.id}`}`.execute(t.db);
    expect(await cancelRun({ db: t.db, clock: systemClock }, run!.id)).toMatchObject({ canceled: true, was: "queued" });
    // graphile keeps a locked job but clears its key and its retries.
    expect(await jobOf(run!.id)).toMatchObject({ key: null });

    // The fetching worker now runs the job it holds.
    const executor = new RunExecutor({ db: t.db, logger, catalog: await loadTaskCatalog({ dir: FIXTURES_DIR }), workerId: "fetching-worker", leaseMs: 30_000, concurrency: 1 });
    await executor.execute({ runId: run!.id, taskId: "nested-spawn-child", attempt: 1 });
    expect(await runById(run!.id)).toMatchObject({ status: "canceled", attempt: 0, started_at: null, worker_id: null });
    expect(await codeRan("fetched-1")).toBe(false);
  });

  it("cancels a delayed run, still an outbox row: it becomes a canceled run and is never dispatched", async () => {
    const clock = new TestClock("2026-12-10T09:00:00Z");
    const { outboxId, run } = await spawnChild("delayed-1", { clock, delay: "10m" });
    expect(run).toBeUndefined();

    const outcome = await cancelRun({ db: t.db, clock }, outboxId);
    expect(outcome).toMatchObject({ canceled: true, taskId: "nested-spawn-child", was: "delayed", outboxId });
    const canceled = await runById((outcome as { runId: string }).runId);
    expect(canceled).toMatchObject({ status: "canceled", outbox_id: outboxId, payload: { value: "delayed-1" }, run_at: new Date("2026-12-10T09:10:00Z"), started_at: null });

    clock.advance(11 * 60_000);
    await drain(clock);
    expect(await t.db.selectFrom("task_runs").select(["id", "status"]).where("outbox_id", "=", outboxId).execute()).toEqual([{ id: canceled.id, status: "canceled" }]);
    expect(await codeRan("delayed-1")).toBe(false);
  });

  it("cancels a run waiting for its next attempt", async () => {
    const enqueued = await withTransaction(t.db, (tx) => enqueueUnchecked(tx, "slow-retry", {}, { clock: systemClock }));
    await runUntilIdle({ db: t.db, connectionString: t.url, clock: systemClock, tasksDir: FIXTURES_DIR, logger, waitForRetries: false });
    const run = await t.db.selectFrom("task_runs").selectAll().where("outbox_id", "=", enqueued.id).executeTakeFirstOrThrow();
    expect(run).toMatchObject({ status: "retrying", attempt: 1 });
    expect(await jobOf(run.id)).toMatchObject({ key: `run:${run.id}` });

    expect(await cancelRun({ db: t.db, clock: systemClock }, run.id)).toMatchObject({ canceled: true, was: "retrying" });
    expect(await jobOf(run.id)).toBeUndefined();
    await drain();
    expect(await runById(run.id)).toMatchObject({ status: "canceled", attempt: 1, error: { message: "first attempt fails" } });
  });

  it("refuses a run whose worker claimed it first, naming the attempt, though the cancel was waiting on the claim", async () => {
    const { run } = await spawnChild("claimed-1");
    let commitClaim!: () => void;
    const claimHeld = new Promise<void>((r) => (commitClaim = r));
    let claimed!: () => void;
    const claimDone = new Promise<void>((r) => (claimed = r));
    const claim = t.db.transaction().execute(async (tx) => {
      // A lease that is over at once: the racing worker never runs the code, so the next test's
      // drain recovers the run as a crashed worker's instead of waiting on it.
      const row = await createClaimBatcher(tx, "racing-worker", 1)({ runId: run!.id, attempt: 1, maxAttempts: 2 });
      expect(row).toMatchObject({ status: "executing" });
      claimed();
      await claimHeld;
    });
    await claimDone;
    const cancel = cancelRun({ db: t.db, clock: systemClock }, run!.id);
    await waitFor(async () => {
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(t.db);
      return rows[0]!.n >= 1;
    }, "the cancel to wait on the claimed row");
    commitClaim();
    await claim;
    expect(await cancel).toEqual({
      canceled: false,
      runId: run!.id,
      taskId: "nested-spawn-child",
      status: "executing",
      reason: "it is executing (attempt 1 of 2): only a run that has not started can be canceled",
    });
    expect(await runById(run!.id)).toMatchObject({ status: "executing", worker_id: "racing-worker" });
    expect(await jobOf(run!.id)).toMatchObject({ key: `run:${run!.id}` });
  });

  it("refuses an executing run and a finished one, and says why", async () => {
    const { run } = await spawnChild("executing-1");
    // A worker's claim, committed (its lease already over, so a later drain recovers the run).
    await createClaimBatcher(t.db, "busy-worker", 1)({ runId: run!.id, attempt: 1, maxAttempts: 2 });
    expect(await cancelRun({ db: t.db, clock: systemClock }, run!.id)).toMatchObject({
      canceled: false,
      status: "executing",
      reason: "it is executing (attempt 1 of 2): only a run that has not started can be canceled",
    });

    const done = await withTransaction(t.db, (tx) => enqueueUnchecked(tx, "echo", { value: "done" }, { clock: systemClock }));
    await drain();
    const finished = await t.db.selectFrom("task_runs").selectAll().where("outbox_id", "=", done.id).executeTakeFirstOrThrow();
    expect(await cancelRun({ db: t.db, clock: systemClock }, finished.id)).toMatchObject({ canceled: false, status: "completed", reason: "it already ended (completed)" });
    expect(await runById(finished.id)).toMatchObject({ status: "completed", output: { echo: "done" } });
  });

  it("keeps the canceled run's idempotency key, as Trigger.dev does: the same key returns the canceled run", async () => {
    const { outboxId, run } = await spawnChild("keyed-1", { key: "cancel-key-1" });
    await cancelRun({ db: t.db, clock: systemClock }, run!.id);
    const again = await withTransaction(t.db, (tx) => enqueueUnchecked(tx, "nested-spawn-child", { value: "keyed-1" }, { idempotencyKey: "cancel-key-1", clock: systemClock }));
    expect(again).toEqual({ id: outboxId, created: false });
    await drain();
    expect(await codeRan("keyed-1")).toBe(false);
  });

  it("says so for an unknown id and for something that is not an id", async () => {
    await expect(cancelRun({ db: t.db, clock: systemClock }, "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f")).rejects.toThrow("no run 6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f");
    await expect(cancelRun({ db: t.db, clock: systemClock }, "nope")).rejects.toThrow('"nope" is not a run id');
  });
});
