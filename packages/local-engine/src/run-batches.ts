import { sql } from "kysely";
import { createGroupCommit, type GroupCommitOptions } from "@paycron/core";
import type { Db, TaskRun } from "@paycron/db";

/*
 * Claims and completions are written a batch per statement: an idle worker pays one tick, a busy
 * one writes task_runs once per batch instead of once per run (per-statement cost is what limits
 * a 2-core box). A failed statement fails every call of its batch, with no item-by-item retry:
 * a claim's graphile job is retried by graphile, and a lost completion is left to recovery.
 */
const BATCHES = { maxSize: 200, maxInFlight: 2, joinTick: true } satisfies GroupCommitOptions<unknown, unknown>;

export interface ClaimRequest {
  runId: string;
  attempt: number;
  maxAttempts: number;
}

/**
 * Claims attempts in batches: a run moves to `executing` only from the state its job expects
 * (queued/retrying at attempt-1), so a duplicate or superseded job claims nothing.
 */
export function createClaimBatcher(db: Db, workerId: string, leaseMs: number) {
  return createGroupCommit<ClaimRequest, TaskRun | undefined>(async (items) => {
    // `r.id = any(ids)` keeps the plan on the primary key: joined only to the json rows, the planner
    // sorts every queued run for each claim, which made draining a deep queue quadratic.
    const ids = items.map((i) => i.runId);
    const { rows } = await sql<TaskRun>`
      update task_runs r set
        status = 'executing', attempt = v.attempt, max_attempts = v.max_attempts,
        started_at = coalesce(r.started_at, clock_timestamp()), attempt_started_at = clock_timestamp(),
        lease_until = clock_timestamp() + ${leaseMs}::int * interval '1 millisecond',
        worker_id = ${workerId}, updated_at = clock_timestamp()
      from (select distinct on (id) * from json_to_recordset(${JSON.stringify(items.map((i) => ({ id: i.runId, attempt: i.attempt, max_attempts: i.maxAttempts })))}::json)
              as x(id uuid, attempt int, max_attempts int)) v
      where r.id = any(${ids}::uuid[]) and r.id = v.id and r.status in ('queued', 'retrying') and r.attempt = v.attempt - 1
      returning r.*`.execute(db);
    const byId = new Map(rows.map((r) => [r.id, r]));
    // A run twice in one batch (two jobs for one attempt) is handed to the first caller only.
    return items.map((i) => {
      const row = byId.get(i.runId);
      if (row?.attempt !== i.attempt) return undefined;
      byId.delete(i.runId);
      return row;
    });
  }, BATCHES);
}

export interface CompleteRequest {
  runId: string;
  attempt: number;
  output: unknown;
}

/** Records successful attempts in batches; only the worker that owns the attempt may. */
export function createCompleteBatcher(db: Db, workerId: string) {
  return createGroupCommit<CompleteRequest, void>(async (items) => {
    const values = items.map((i) => ({ id: i.runId, attempt: i.attempt, output: i.output ?? null }));
    await sql`
      update task_runs r set
        status = 'completed', output = v.output, error = null, lease_until = null,
        finished_at = clock_timestamp(), updated_at = clock_timestamp()
      from json_to_recordset(${JSON.stringify(values)}::json) as v(id uuid, attempt int, output jsonb)
      where r.id = any(${items.map((i) => i.runId)}::uuid[]) and r.id = v.id
        and r.status = 'executing' and r.attempt = v.attempt and r.worker_id = ${workerId}`.execute(db);
    return items.map(() => undefined);
  }, BATCHES);
}
