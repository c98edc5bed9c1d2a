import { sql } from "kysely";
import type { Logger } from "@paycron/core";
import type { Db } from "@paycron/db";
import type { TaskCatalog } from "../catalog/catalog.ts";
import { nextRetryDelay } from "../catalog/sdk-internals.ts";
import { releaseIdempotencyKey } from "../outbox/enqueue.ts";
import { addRunJobs } from "./graphile-jobs.ts";

/**
 * Runs whose worker stopped renewing the lease (SIGKILL, OOM, a lost machine) would otherwise sit
 * in graphile-worker's locked job for 4 hours. The dead attempt counts as failed: the run is
 * retried under its task's policy, or fails and frees its idempotency key. Safe to call from
 * every worker at once (FOR UPDATE SKIP LOCKED).
 */
export async function recoverExpiredRuns(deps: { db: Db; logger: Logger; catalog: TaskCatalog }): Promise<number> {
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
