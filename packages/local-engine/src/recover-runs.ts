import { sql } from "kysely";
import type { Logger } from "@paycron/core";
import type { Db } from "@paycron/db";
import type { TaskCatalog } from "@paycron/runtime/catalog";
import { nextRetryDelay } from "@paycron/runtime/catalog";
import { releaseIdempotencyKey } from "@paycron/runtime";
import { addRunJobs } from "./graphile-jobs.ts";

/**
 * Runs whose worker stopped renewing the lease (SIGKILL, OOM, a lost machine) would otherwise sit
 * in graphile-worker's locked job for 4 hours. The dead attempt counts as failed: the run is
 * retried under its task's policy, or fails and frees its idempotency key. Safe to call from
 * every worker at once (FOR UPDATE SKIP LOCKED).
 */
export async function recoverExpiredRuns(deps: { db: Db; logger: Logger; catalog: TaskCatalog; leaseMs?: number }): Promise<number> {
  const expired = await recoverExecutingRuns(deps);
  const orphaned = await requeueOrphanedRuns(deps.db, deps.logger, deps.leaseMs ?? 30_000);
  return expired + orphaned;
}

/**
 * A run waiting to start whose graphile job is gone, or locked for longer than a lease without
 * the run being claimed: a worker died after fetching the job (graphile's local queue fetches
 * ahead) but before starting the run. Re-adding the job retires the stale one; if the original
 * worker is alive after all, the attempt guard lets only one of the two jobs run it.
 * Reads graphile-worker's private jobs table: keep in step with graphile-worker upgrades.
 */
async function requeueOrphanedRuns(db: Db, logger: Logger, leaseMs: number): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const { rows } = await sql<{ id: string; task_id: string; attempt: number }>`
      select r.id, r.task_id, r.attempt from task_runs r
      where r.status in ('queued', 'retrying')
        and r.updated_at < clock_timestamp() - ${leaseMs}::int * interval '1 millisecond'
        and not exists (
          select 1 from graphile_worker._private_jobs j
          where j.key = 'run:' || r.id::text and j.attempts < j.max_attempts
            and (j.locked_at is null or j.locked_at > clock_timestamp() - ${leaseMs}::int * interval '1 millisecond'))
      order by r.updated_at
      limit 100
      for update of r skip locked`.execute(tx);
    if (rows.length === 0) return 0;
    await tx.updateTable("task_runs").set({ updated_at: sql`clock_timestamp()` }).where("id", "in", rows.map((r) => r.id)).execute();
    await addRunJobs(tx, rows.map((r) => ({ runId: r.id, taskId: r.task_id, attempt: r.attempt + 1 })));
    logger.warn({ runs: rows.map((r) => r.id) }, "re-queued runs whose job was lost with its worker");
    return rows.length;
  });
}

async function recoverExecutingRuns(deps: { db: Db; logger: Logger; catalog: TaskCatalog }): Promise<number> {
  return deps.db.transaction().execute(async (tx) => {
    const runs = await tx
      .selectFrom("task_runs")
      .selectAll()
      .where("status", "=", "executing")
      .where("lease_until", "<", sql<Date>`clock_timestamp()`)
      .forUpdate()
      .skipLocked()
      .limit(100)
      .execute();
    for (const run of runs) {
      const error = JSON.stringify({ name: "WorkerCrashed", message: `worker ${run.worker_id ?? "?"} stopped renewing its lease during attempt ${run.attempt}` });
      const task = deps.catalog.has(run.task_id) ? deps.catalog.get(run.task_id) : undefined;
      const delay = task && run.attempt < run.max_attempts ? (nextRetryDelay(task.retry, run.attempt) ?? 0) : undefined;
      await tx.deleteFrom("task_concurrency_slots").where("run_id", "=", run.id).execute();
      if (delay === undefined) {
        await tx
          .updateTable("task_runs")
          .set({ status: "failed", error, lease_until: null, finished_at: sql`clock_timestamp()`, updated_at: sql`clock_timestamp()` })
          .where("id", "=", run.id)
          .execute();
        if (run.idempotency_key) await releaseIdempotencyKey(tx, run.task_id, run.idempotency_key);
      } else {
        await tx
          .updateTable("task_runs")
          .set({ status: "retrying", error, lease_until: null, worker_id: null, updated_at: sql`clock_timestamp()` })
          .where("id", "=", run.id)
          .execute();
        await addRunJobs(tx, [{ runId: run.id, taskId: run.task_id, attempt: run.attempt + 1, delayMs: delay }]);
      }
      deps.logger.warn({ runId: run.id, task: run.task_id, attempt: run.attempt, retry: delay !== undefined }, "recovered a run whose worker died");
    }
    return runs.length;
  });
}
