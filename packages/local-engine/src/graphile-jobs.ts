import { sql } from "kysely";
import type { Db, Tx } from "@paycron/db";

/** The single graphile task that executes every attempt of every local run. */
export const RUN_JOB = "paycron_run";
/** graphile's own retries, for the handler itself failing (a database blip), not the task's. */
export const RUN_JOB_MAX_ATTEMPTS = 5;

export interface RunJobPayload {
  runId: string;
  taskId: string;
  /** The attempt this job executes; a stale job (its attempt already taken) does nothing. */
  attempt: number;
}

/**
 * Adds run jobs with plain SQL so that they commit or roll back with the caller's transaction.
 * The job key is per run: re-adding it (a retry, a recovered crash) replaces a waiting job, and
 * graphile-worker retires a locked one rather than running two. The task's retry policy is ours
 * (a failed attempt schedules the next job itself); graphile's max_attempts only covers the handler
 * itself failing (a database blip), and the handler is idempotent. Delays are relative to the
 * database clock, which is also what graphile compares run_at with.
 */
export async function addRunJobs(tx: Tx | Db, jobs: Array<RunJobPayload & { delayMs?: number }>): Promise<void> {
  if (jobs.length === 0) return;
  const specs = jobs.map((j) => ({
    identifier: RUN_JOB,
    payload: { runId: j.runId, taskId: j.taskId, attempt: j.attempt },
    delay_ms: Math.max(0, Math.round(j.delayMs ?? 0)),
    job_key: `run:${j.runId}`,
  }));
  await sql`
    select graphile_worker.add_jobs(
      array(
        select row(s.identifier, s.payload, null, now() + s.delay_ms * interval '1 millisecond', ${RUN_JOB_MAX_ATTEMPTS}::int, s.job_key, null, null)::graphile_worker.job_spec
        from json_to_recordset(${JSON.stringify(specs)}::json)
          as s(identifier text, payload json, delay_ms bigint, job_key text)
      )
    )`.execute(tx);
}
