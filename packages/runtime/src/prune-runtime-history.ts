import { sql } from "kysely";
import type { TaskDeps } from "./task-deps.ts";

export interface PruneOptions {
  /** Finished runs older than this are deleted (default 30 days). */
  keepRunsDays?: number;
}

/**
 * Daily retention: finished runs past the retention window, and dispatched outbox rows whose
 * idempotency key has expired (an expired key no longer dedupes, so the row is only history).
 * Undispatched rows and live keys are never touched.
 */
export async function pruneRuntimeHistory(deps: Pick<TaskDeps, "db" | "clock" | "logger">, options: PruneOptions = {}) {
  const now = deps.clock.now();
  // Runs are stamped by the database's clock (the local engine writes them), so their age is
  // measured by it too: a simulated clock ahead of the database must not delete fresh history.
  const runs = await deps.db
    .deleteFrom("task_runs")
    .where("status", "in", ["completed", "failed", "canceled"])
    .where("finished_at", "<", sql<Date>`now() - make_interval(days => ${options.keepRunsDays ?? 30})`)
    .executeTakeFirst();
  const outbox = await deps.db
    .deleteFrom("task_outbox")
    .where("dispatched_at", "is not", null)
    .where("idempotency_expires_at", "<", now)
    .executeTakeFirst();
  const slots = await deps.db.deleteFrom("task_concurrency_slots").where("lease_until", "<", sql<Date>`clock_timestamp()`).executeTakeFirst();
  const result = {
    runsDeleted: Number(runs.numDeletedRows),
    outboxRowsDeleted: Number(outbox.numDeletedRows),
    expiredSlotsDeleted: Number(slots.numDeletedRows),
  };
  deps.logger.info(result, "runtime retention");
  return result;
}
