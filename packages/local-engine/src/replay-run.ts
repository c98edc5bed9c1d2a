import { type Clock, DomainError } from "@paycron/core";
import { type Db, withTransaction } from "@paycron/db";
import { enqueueUnchecked } from "@paycron/runtime";
import { findRun } from "./runs-log.ts";

export interface Replayed {
  /** The new run's outbox row: dispatch hands it on like any enqueued run. */
  outboxId: string;
  taskId: string;
  replayOf: string;
  idempotencyKey: string;
}

/**
 * A new run of the same task with the same payload and concurrency key, under a new idempotency
 * key (the original's still names the original), enqueued through the outbox so it is dispatched
 * like any run. Its outbox row records `replay_of`, in the same transaction. Any run may be
 * replayed, as on Trigger.dev; one that has not been dispatched yet has nothing to replay.
 */
export async function replayRun(deps: { db: Db; clock: Clock }, id: string): Promise<Replayed> {
  const found = await findRun(deps.db, id);
  if (!found) throw new DomainError("RUN_NOT_FOUND", `no run ${id}`);
  if (found.kind !== "run") {
    throw new DomainError(
      "RUN_NOT_REPLAYABLE",
      found.kind === "pending" ? `run ${id} has not been dispatched yet: there is nothing to replay` : `run ${id} was handed to Trigger.dev: replay it there`,
    );
  }
  const { run } = found;
  return withTransaction(deps.db, async (tx) => {
    const enqueued = await enqueueUnchecked(tx, run.task_id, run.payload, { concurrencyKey: run.concurrency_key ?? undefined, clock: deps.clock });
    const row = await tx
      .updateTable("task_outbox")
      .set({ replay_of: run.id })
      .where("id", "=", enqueued.id)
      .returning("idempotency_key")
      .executeTakeFirstOrThrow();
    return { outboxId: enqueued.id, taskId: run.task_id, replayOf: run.id, idempotencyKey: row.idempotency_key };
  });
}
