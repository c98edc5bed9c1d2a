import type { Tx } from "@paycron/db";
import type { DispatchItem, LocalDispatchEngine } from "../engine/types.ts";
import { addRunJobs } from "./graphile-jobs.ts";

/**
 * Records each run in task_runs and queues its first attempt in graphile-worker, inside the
 * dispatcher's transaction: the outbox row is marked dispatched by the same commit, so a row
 * becomes exactly one run however often dispatch is retried or raced.
 */
export function localEngine(): LocalDispatchEngine {
  return {
    kind: "local",
    async dispatchInTransaction(tx: Tx, items: DispatchItem[]) {
      const runIds = new Map<string, string>();
      if (items.length === 0) return runIds;
      const rows = await tx
        .insertInto("task_runs")
        .values(
          items.map((i) => ({
            task_id: i.taskId,
            status: "queued" as const,
            payload: JSON.stringify(i.payload),
            idempotency_key: i.idempotencyKey,
            concurrency_key: i.concurrencyKey,
            outbox_id: i.outboxId,
            parent_run_id: i.parentRunId,
            run_at: i.availableAt,
          })),
        )
        .returning(["id", "outbox_id", "task_id"])
        .execute();
      for (const r of rows) runIds.set(r.outbox_id!, r.id);
      await addRunJobs(
        tx,
        rows.map((r) => ({ runId: r.id, taskId: r.task_id, attempt: 1 })),
      );
      return runIds;
    },
  };
}
