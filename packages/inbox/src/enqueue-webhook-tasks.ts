import { sql } from "kysely";
import type { z } from "zod";
import { type Clock, DomainError } from "@paycron/core";
import type { Tx } from "@paycron/db";
import { DEFAULT_IDEMPOTENCY_TTL, OUTBOX_CHANNEL, parseDuration } from "@paycron/runtime";
import { isTaskId, taskPayloads, type TaskId } from "@paycron/tasks";

export interface WebhookTask {
  taskId: TaskId;
  webhookEventId: string;
  /** `<provider>:<provider event id>`: one run per event for as long as the key lives. */
  idempotencyKey: string;
}

/**
 * enqueue() for a batch of freshly stored webhook events: one multi-row outbox insert and one
 * NOTIFY statement instead of two round trips per event, which is what the ingestion benchmark
 * needs. Same rows, same contract check, same TTL and channel as enqueue(); a key conflict
 * means a run already exists and nothing is added (no second run). enqueue()'s "expired key
 * gets a new run" branch cannot apply: only events inserted in this very transaction get here.
 *
 * Keep in sync with packages/runtime/src/outbox/enqueue.ts; to be replaced by a batch enqueue
 * from @paycron/runtime when it has one.
 */
export async function enqueueWebhookTasks(tx: Tx, tasks: readonly WebhookTask[], clock: Clock): Promise<void> {
  if (tasks.length === 0) return;
  const now = clock.now();
  const expires = new Date(now.getTime() + parseDuration(DEFAULT_IDEMPOTENCY_TTL));
  const rows = tasks.map((t) => {
    const payload = { webhookEventId: t.webhookEventId };
    if (!isTaskId(t.taskId)) throw new DomainError("UNKNOWN_TASK", `unknown task "${String(t.taskId)}"`);
    const parsed = (taskPayloads as Record<string, z.ZodType>)[t.taskId]!.safeParse(payload);
    if (!parsed.success) throw new DomainError("INVALID_TASK_PAYLOAD", `payload for ${t.taskId} is invalid: ${parsed.error.message}`);
    return {
      task_id: t.taskId,
      payload: JSON.stringify(payload),
      idempotency_key: t.idempotencyKey,
      idempotency_expires_at: expires,
      concurrency_key: null,
      available_at: now,
      created_at: now,
    };
  });
  await tx
    .insertInto("task_outbox")
    .values(rows)
    .onConflict((oc) => oc.columns(["task_id", "idempotency_key"]).doNothing())
    .execute();
  const taskIds = [...new Set(tasks.map((t) => t.taskId))];
  await sql`select pg_notify(${OUTBOX_CHANNEL}, t) from unnest(${taskIds}::text[]) as t`.execute(tx);
}
