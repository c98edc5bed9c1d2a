import { sql } from "kysely";
import { type Clock, DomainError } from "@paycron/core";
import type { Db, TaskRunStatus, Tx } from "@paycron/db";
import { assertRunId } from "./runs-log.ts";

/** Only a run whose code has not started may be canceled: nothing can take back what code did. */
const CANCELABLE = ["queued", "delayed", "retrying"] as const satisfies readonly TaskRunStatus[];
type Cancelable = (typeof CANCELABLE)[number];

export type CancelOutcome =
  | { canceled: true; runId: string; taskId: string; was: Cancelable; outboxId: string | null }
  | { canceled: false; runId: string; taskId: string; status: TaskRunStatus | "dispatched"; reason: string };

/**
 * Cancels a run that has not started: queued, delayed (still an outbox row: it becomes a
 * `canceled` run and is marked dispatched, so no dispatcher hands it on) or waiting for its next
 * attempt. The status change is conditional on the run still waiting, and its graphile job
 * (`run:<id>`) is removed in the same transaction, so a worker racing for the same job either
 * claims it first (its claim moves the run to `executing` and the cancel is refused, naming the
 * attempt) or finds it canceled (the claim only takes queued and retrying runs, and a job
 * graphile had already fetched is kept from retrying and runs nothing).
 *
 * A canceled run keeps its idempotency key until the key's TTL, as on Trigger.dev (a failed run
 * releases it; successful and canceled ones do not): enqueueing with the same key again returns
 * the canceled run instead of running the work the cancel was meant to stop.
 */
export async function cancelRun(deps: { db: Db; clock: Clock }, id: string): Promise<CancelOutcome> {
  assertRunId(id);
  return deps.db.transaction().execute(async (tx) => {
    // Locked first: the dispatcher (FOR UPDATE SKIP LOCKED) passes a locked row by, and if it
    // holds the row, this waits for its commit and then sees the run it made.
    const row = await tx.selectFrom("task_outbox").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
    if (row && row.dispatched_at === null) {
      if (row.lease_until && row.lease_until > deps.clock.now()) {
        return { canceled: false, runId: row.id, taskId: row.task_id, status: "dispatched", reason: "it is being handed to Trigger.dev right now" };
      }
      const run = await tx
        .insertInto("task_runs")
        .values({
          task_id: row.task_id,
          status: "canceled",
          payload: JSON.stringify(row.payload),
          idempotency_key: row.idempotency_key,
          concurrency_key: row.concurrency_key,
          outbox_id: row.id,
          parent_run_id: row.parent_run_id,
          run_at: row.available_at,
          finished_at: sql`clock_timestamp()`,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await tx.updateTable("task_outbox").set({ dispatched_at: deps.clock.now(), engine_run_id: run.id, lease_until: null }).where("id", "=", row.id).execute();
      return { canceled: true, runId: run.id, taskId: row.task_id, was: row.available_at > deps.clock.now() ? "delayed" : "queued", outboxId: row.id };
    }
    const runId = row ? await runOfOutbox(tx, row.id) : id;
    if (runId === undefined) {
      return { canceled: false, runId: row!.id, taskId: row!.task_id, status: "dispatched", reason: `it was handed to Trigger.dev (run ${row!.engine_run_id ?? "?"}): cancel it there` };
    }
    return cancelWaitingRun(tx, runId);
  });
}

async function runOfOutbox(tx: Tx, outboxId: string): Promise<string | undefined> {
  return (await tx.selectFrom("task_runs").select("id").where("outbox_id", "=", outboxId).executeTakeFirst())?.id;
}

async function cancelWaitingRun(tx: Tx, runId: string): Promise<CancelOutcome> {
  const { rows } = await sql<{ id: string; task_id: string; was: Cancelable; outbox_id: string | null }>`
    update task_runs r set status = 'canceled', lease_until = null, worker_id = null,
      finished_at = clock_timestamp(), updated_at = clock_timestamp()
    from (select id, status from task_runs where id = ${runId} for update) old
    where r.id = old.id and r.status in (${sql.join(CANCELABLE)})
    returning r.id, r.task_id, old.status as was, r.outbox_id`.execute(tx);
  const canceled = rows[0];
  if (canceled) {
    // Deletes a waiting job; a job a worker has fetched is only kept from running again.
    await sql`select graphile_worker.remove_job(${`run:${runId}`})`.execute(tx);
    return { canceled: true, runId, taskId: canceled.task_id, was: canceled.was, outboxId: canceled.outbox_id };
  }
  const run = await tx.selectFrom("task_runs").select(["task_id", "status", "attempt", "max_attempts"]).where("id", "=", runId).executeTakeFirst();
  if (!run) throw new DomainError("RUN_NOT_FOUND", `no run ${runId}`);
  const reason =
    run.status === "executing"
      ? `it is executing (attempt ${run.attempt} of ${run.max_attempts}): only a run that has not started can be canceled`
      : run.status === "canceled"
        ? "it is already canceled"
        : `it already ended (${run.status})`;
  return { canceled: false, runId, taskId: run.task_id, status: run.status, reason };
}
