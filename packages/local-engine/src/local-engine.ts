import { type Expression, sql } from "kysely";
import type { Db } from "@paycron/db";
import type { LocalDispatchEngine } from "@paycron/runtime";
import { RUN_JOB, RUN_JOB_MAX_ATTEMPTS } from "./graphile-jobs.ts";

/**
 * Turns the outbox rows `picked` selects (and locks) into runs in one statement: the task_runs
 * rows, their first graphile jobs and the rows' `dispatched_at` commit together, so a row becomes
 * exactly one run however often dispatch is retried or raced, and a batch costs one round trip.
 * The job key is the run's, as for every later attempt (graphile-jobs.ts).
 */
export function localEngine(): LocalDispatchEngine {
  return {
    kind: "local",
    async dispatch(db: Db, picked: Expression<{ id: string }>, now: Date) {
      const { rows } = await sql<{ dispatched: number }>`
        with picked as (${picked}),
        runs as (
          insert into task_runs (task_id, status, payload, idempotency_key, concurrency_key, outbox_id, parent_run_id, run_at)
          -- A parent run deleted by retention (a follow-up delayed past it) leaves no link, never a stuck row.
          select o.task_id, 'queued', o.payload, o.idempotency_key, o.concurrency_key, o.id, parent.id, o.available_at
          from task_outbox o join picked p on p.id = o.id
          left join task_runs parent on parent.id = o.parent_run_id
          returning id, outbox_id, task_id),
        marked as (
          update task_outbox o set dispatched_at = ${now}, engine_run_id = r.id::text, lease_until = null, last_error = null
          from runs r where o.id = r.outbox_id)
        select count(*)::int as dispatched from graphile_worker.add_jobs(array(
                 select row(${RUN_JOB}, json_build_object('runId', r.id, 'taskId', r.task_id, 'attempt', 1),
                            null, null, ${RUN_JOB_MAX_ATTEMPTS}::int, 'run:' || r.id::text, null, null)::graphile_worker.job_spec
                 from runs r))`.execute(db);
      return rows[0]?.dispatched ?? 0;
    },
  };
}
