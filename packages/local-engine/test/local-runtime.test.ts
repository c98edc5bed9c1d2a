import { spawn } from "node:child_process";
import { sql } from "kysely";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { silentLogger, systemClock } from "@paycron/core";
import { withTransaction } from "@paycron/db";
import { useTestDb } from "@paycron/db/testing";
import { enqueueUnchecked, OUTBOX_CHANNEL } from "@paycron/runtime";
import { startLocalRuntime, type LocalRuntime } from "@paycron/local-engine";
import { runUntilIdle } from "@paycron/local-engine/testing";
import { FIXTURES_DIR, waitFor } from "../../../tests/support/task-fixtures.ts";

const t = useTestDb();
const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const open: LocalRuntime[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.stop()));
});

async function start(options: { stopTimeoutMs?: number; pollIntervalMs?: number; concurrency?: number } = {}) {
  const runtime = await startLocalRuntime({ clock: systemClock, connectionString: t.url, db: t.db, logger: silentLogger(), tasksDir: FIXTURES_DIR, crons: false, ...options });
  open.push(runtime);
  return runtime;
}

/** True once both listeners of this database have run their LISTEN (their last query). */
async function listening(): Promise<boolean> {
  const { rows } = await sql<{ query: string }>`select query from pg_stat_activity where datname = current_database()`.execute(t.db);
  return [`LISTEN ${OUTBOX_CHANNEL}`, 'LISTEN "jobs:insert"'].every((listen) => rows.some((r) => r.query.startsWith(listen)));
}

const runByKey = (key: string) => t.db.selectFrom("task_runs").selectAll().where("idempotency_key", "=", key).executeTakeFirst();

describe("startLocalRuntime", () => {
  it("runs a task right after the enqueuing transaction commits (LISTEN/NOTIFY, not polling)", async () => {
    // Polls (the outbox's and graphile's) further apart than the test may last, and the row comes
    // after the start-up passes: only a NOTIFY can have woken whoever runs it.
    await start({ pollIntervalMs: 60 * 60_000 });
    await waitFor(listening, "the outbox dispatcher and graphile to LISTEN");
    await withTransaction(t.db, (tx) => enqueueUnchecked(tx, "echo", { value: "now" }, { idempotencyKey: "notify-1", clock: systemClock }));
    const run = await waitFor(async () => (await runByKey("notify-1"))?.status === "completed" && runByKey("notify-1"), "the run to complete");
    expect(run).toMatchObject({ output: { echo: "now" } });
  });

  it("runs at most `concurrency` task bodies at once, though graphile holds more jobs to overlap claims", async () => {
    await start({ concurrency: 3 });
    await withTransaction(t.db, async (tx) => {
      for (let i = 0; i < 12; i++) await enqueueUnchecked(tx, "gauge", { sleepMs: 150 }, { idempotencyKey: `gauge-${i}`, clock: systemClock });
    });
    const runs = await waitFor(async () => {
      const rows = await t.db.selectFrom("task_runs").selectAll().where("task_id", "=", "gauge").where("status", "=", "completed").execute();
      return rows.length === 12 && rows;
    }, "the 12 runs to complete");
    const peaks = runs.map((r) => (r.output as { running: number }).running);
    expect(Math.max(...peaks)).toBe(3);
  });

  it("lets an in-flight run finish on stop()", async () => {
    const runtime = await start();
    await withTransaction(t.db, (tx) => enqueueUnchecked(tx, "echo", { value: "finish-me", sleepMs: 400 }, { idempotencyKey: "graceful-1", clock: systemClock }));
    await waitFor(async () => (await runByKey("graceful-1"))?.status === "executing", "the run to start");
    await runtime.stop();
    expect(await runByKey("graceful-1")).toMatchObject({ status: "completed", attempt: 1, output: { echo: "finish-me" } });
  });

  it("on stop, hands back at once the claimed runs whose code has not started", async () => {
    const runtime = await start({ concurrency: 1 });
    await withTransaction(t.db, async (tx) => {
      for (let i = 0; i < 4; i++) await enqueueUnchecked(tx, "echo", { value: `w${i}`, sleepMs: 1_500 }, { idempotencyKey: `waiting-${i}`, clock: systemClock });
    });
    const waiting = () => t.db.selectFrom("task_runs").selectAll().where("idempotency_key", "like", "waiting-%").execute();
    // graphile holds 4 jobs per run slot: all four are claimed, one runs.
    await waitFor(async () => {
      const runs = await waiting();
      return runs.length === 4 && runs.every((r) => r.status === "executing");
    }, "the four runs to be claimed");
    await runtime.stop();
    const afterStop = await waiting();
    expect(afterStop.map((r) => r.status).sort()).toEqual(["completed", "queued", "queued", "queued"]);
    expect(afterStop.filter((r) => r.status === "queued").every((r) => r.attempt === 0)).toBe(true);
    await runUntilIdle({ db: t.db, connectionString: t.url, clock: systemClock, tasksDir: FIXTURES_DIR });
    expect((await waiting()).map((r) => [r.status, r.attempt])).toEqual(Array.from({ length: 4 }, () => ["completed", 1]));
  });

  it("hands a run that outlives the stop grace period back to the queue, where it runs again", async () => {
    const runtime = await start({ stopTimeoutMs: 100 });
    await withTransaction(t.db, (tx) => enqueueUnchecked(tx, "echo", { value: "too-slow", sleepMs: 1_500 }, { idempotencyKey: "released-1", clock: systemClock }));
    await waitFor(async () => (await runByKey("released-1"))?.status === "executing", "the run to start");
    await runtime.stop();
    expect(await runByKey("released-1")).toMatchObject({ status: "queued", attempt: 0 });
    await runUntilIdle({ db: t.db, connectionString: t.url, clock: systemClock, tasksDir: FIXTURES_DIR });
    expect(await runByKey("released-1")).toMatchObject({ status: "completed", attempt: 1 });
  });

  it("does not lose undispatched outbox rows on stop", async () => {
    const runtime = await start();
    await runtime.stop();
    await withTransaction(t.db, (tx) => enqueueUnchecked(tx, "echo", { value: "after-stop" }, { idempotencyKey: "after-stop", clock: systemClock }));
    const row = await t.db.selectFrom("task_outbox").selectAll().where("idempotency_key", "=", "after-stop").executeTakeFirstOrThrow();
    expect(row.dispatched_at).toBeNull();
    await start();
    await waitFor(async () => (await runByKey("after-stop"))?.status === "completed", "the next start to run it");
  });

  it("retries the run of a worker killed with SIGKILL once its lease runs out", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("./worker-child.ts", import.meta.url)), t.url], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    });
    const exited = new Promise((r) => child.once("exit", r));
    try {
      const workerId = await new Promise<string>((resolve, reject) => {
        child.stdout.on("data", (chunk: Buffer) => {
          const m = /ready (\S+)/.exec(chunk.toString());
          if (m) resolve(m[1]!);
        });
        child.once("exit", (code) => reject(new Error(`worker exited early (${code})`)));
      });
      await withTransaction(t.db, (tx) => enqueueUnchecked(tx, "hang-once", { hangMs: 600_000 }, { idempotencyKey: "killed-1", clock: systemClock }));
      await waitFor(async () => {
        const run = await runByKey("killed-1");
        return run?.status === "executing" && run.worker_id === workerId;
      }, "the child worker to start the run", 15_000);
    } finally {
      child.kill("SIGKILL");
      await exited;
    }
    // Another worker: it finds the lease expired, counts the dead attempt, and runs attempt 2.
    await runUntilIdle({ db: t.db, connectionString: t.url, clock: systemClock, tasksDir: FIXTURES_DIR, leaseMs: 1_000, timeoutMs: 15_000 });
    const run = await runByKey("killed-1");
    expect(run).toMatchObject({ status: "completed", attempt: 2, output: { finishedOn: 2 } });
  });

  it("re-queues a run whose job a dead worker had fetched but not started", async () => {
    await withTransaction(t.db, (tx) => enqueueUnchecked(tx, "echo", { value: "orphan" }, { idempotencyKey: "orphan-1", clock: systemClock }));
    await runUntilIdle({ db: t.db, connectionString: t.url, clock: systemClock, tasksDir: FIXTURES_DIR, waitForRetries: false }).catch(() => {});
    // Simulate: dispatched, then a worker's local queue fetched (locked) the job and the worker died.
    await t.db.updateTable("task_runs").set({ status: "queued", attempt: 0, output: null }).where("idempotency_key", "=", "orphan-1").execute();
    const run = (await runByKey("orphan-1"))!;
    await sql`select graphile_worker.add_job('paycron_run', json_build_object('runId', ${run.id}::text, 'taskId', 'echo', 'attempt', 1), job_key := ${"run:" + run.id})`.execute(t.db);
    await sql`update graphile_worker._private_jobs set locked_at = now() - interval '1 hour', locked_by = 'dead-worker', attempts = 1 where key = ${"run:" + run.id}`.execute(t.db);
    await sql`update task_runs set updated_at = now() - interval '1 hour' where id = ${run.id}::uuid`.execute(t.db);

    await runUntilIdle({ db: t.db, connectionString: t.url, clock: systemClock, tasksDir: FIXTURES_DIR, leaseMs: 1_000 });
    expect(await runByKey("orphan-1")).toMatchObject({ status: "completed", attempt: 1, output: { echo: "orphan" } });
  });
});
