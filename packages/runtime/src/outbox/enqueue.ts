import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { z } from "zod";
import { type Clock, DomainError } from "@paycron/core";
import type { Tx } from "@paycron/db";
import { isTaskId, taskPayloads, type TaskId, type TaskPayload } from "@paycron/tasks";
import { parseDuration } from "../duration.ts";
import { currentRun } from "../run-context.ts";
import { noteEnqueued } from "./run-outbox.ts";

export const OUTBOX_CHANNEL = "paycron_outbox";
/** Trigger.dev's default idempotency TTL; the local engine keeps the same. */
export const DEFAULT_IDEMPOTENCY_TTL = "30d";

export interface EnqueueOptions {
  /** One run per (task, key) while the key lives. Without a key every call is a new run. */
  idempotencyKey?: string;
  idempotencyKeyTTL?: string | number;
  /** Run no earlier than this: a duration from now ("10m", ms) or an absolute time. */
  delay?: string | number | Date;
  /** Runs sharing a key take turns under the task's per-key concurrency limit. */
  concurrencyKey?: string;
  /** "Now" for delays and key expiry: always the caller's clock, so simulations never read the wall. */
  clock: Clock;
}

export interface Enqueued {
  id: string;
  /** False when the idempotency key already had a live run: nothing new was recorded. */
  created: boolean;
}

/**
 * Records follow-up work in the same transaction as the state change that calls for it (the
 * transactional outbox). Nothing reaches an engine until the transaction commits; a rollback
 * enqueues nothing. The NOTIFY is delivered at commit, waking the dispatcher at once.
 */
export async function enqueue<Id extends TaskId>(
  tx: Tx,
  taskId: Id,
  payload: TaskPayload<Id>,
  options: EnqueueOptions,
): Promise<Enqueued> {
  checkPayload(taskId, payload);
  return enqueueUnchecked(tx, taskId, payload, options);
}

export interface EnqueueItem<Id extends TaskId = TaskId> {
  taskId: Id;
  payload: TaskPayload<Id>;
  options?: Omit<EnqueueOptions, "clock">;
}

/**
 * enqueue() for many runs in one statement: one multi-row insert (its NOTIFY included) instead
 * of a round trip each (what webhook ingestion needs under load). Same checks and the same key
 * semantics: an item whose key is taken goes through enqueue()'s conflict path one by one.
 */
export async function enqueueMany(tx: Tx, clock: Clock, items: readonly EnqueueItem[]): Promise<Enqueued[]> {
  if (items.length === 0) return [];
  const now = clock.now();
  const rows = items.map((item) => {
    checkPayload(item.taskId, item.payload);
    return outboxRow(item.taskId, item.payload, item.options ?? {}, now);
  });
  const inserted = await insertOutboxRows(tx, rows);
  const keyOf = (r: { task_id: string; idempotency_key: string }) => `${r.task_id}\u0000${r.idempotency_key}`;
  const byKey = new Map(inserted.map((r) => [keyOf(r), r.id]));
  const results: Enqueued[] = [];
  const seen = new Set<string>();
  for (const [i, row] of rows.entries()) {
    const key = keyOf(row);
    const id = byKey.get(key);
    // The first item with a key owns the inserted row; a repeat in the same batch is a duplicate.
    if (id) results.push({ id, created: !seen.has(key) });
    else results.push(await enqueueUnchecked(tx, row.task_id, items[i]!.payload, { ...items[i]!.options, idempotencyKey: row.idempotency_key, clock }));
    seen.add(key);
  }
  return results;
}

/**
 * Inserts outbox rows, skipping taken keys, in one round trip: the NOTIFY rides on the insert,
 * once per inserted row (Postgres folds repeats of one channel and payload within a
 * transaction), so a key that was taken notifies nothing.
 */
async function insertOutboxRows(tx: Tx, rows: ReturnType<typeof outboxRow>[]) {
  const inserted = await tx
    .with("inserted", (db) =>
      db
        .insertInto("task_outbox")
        .values(rows)
        .onConflict((oc) => oc.columns(["task_id", "idempotency_key"]).doNothing())
        .returning(["id", "task_id", "idempotency_key"]),
    )
    .selectFrom("inserted")
    .select(["id", "task_id", "idempotency_key", sql<void>`pg_notify(${OUTBOX_CHANNEL}, task_id)`.as("notified")])
    .execute();
  noteEnqueued(tx, inserted.map((r) => r.id));
  return inserted;
}

function checkPayload(taskId: string, payload: unknown): void {
  if (!isTaskId(taskId)) throw new DomainError("UNKNOWN_TASK", `unknown task "${String(taskId)}"`);
  const parsed = (taskPayloads as Record<string, z.ZodType>)[taskId]!.safeParse(payload);
  if (!parsed.success) {
    throw new DomainError("INVALID_TASK_PAYLOAD", `payload for ${taskId} is invalid: ${parsed.error.message}`, {
      details: { issues: parsed.error.issues },
    });
  }
}

function outboxRow(taskId: string, payload: unknown, options: Omit<EnqueueOptions, "clock">, now: Date) {
  const availableAt =
    options.delay instanceof Date
      ? options.delay
      : new Date(now.getTime() + (options.delay === undefined ? 0 : parseDuration(options.delay)));
  const ttl = parseDuration(options.idempotencyKeyTTL ?? DEFAULT_IDEMPOTENCY_TTL);
  return {
    task_id: taskId,
    payload: JSON.stringify(payload),
    idempotency_key: options.idempotencyKey ?? randomUUID(),
    idempotency_expires_at: new Date(now.getTime() + ttl),
    concurrency_key: options.concurrencyKey ?? null,
    parent_run_id: currentRun()?.runId ?? null,
    available_at: availableAt,
    created_at: now,
  };
}

/**
 * enqueue() without the @paycron/tasks contract check: for callers that validated elsewhere
 * (the CLI against the task's own schema, the cron scheduler) and for test fixture tasks.
 */
export async function enqueueUnchecked(tx: Tx, taskId: string, payload: unknown, options: EnqueueOptions): Promise<Enqueued> {
  const now = options.clock.now();
  const row = outboxRow(taskId, payload, options, now);
  const key = row.idempotency_key;

  const insert = async () => (await insertOutboxRows(tx, [row]))[0];

  let inserted = await insert();
  if (!inserted) {
    // The key is taken. A live key means "already done or in flight"; an expired one is moved
    // aside (the old row stays as history) so this enqueue becomes a new run.
    const moved = await releaseIdempotencyKey(tx, taskId, key, { onlyExpiredAt: now });
    if (!moved) {
      const existing = await tx
        .selectFrom("task_outbox")
        .select("id")
        .where("task_id", "=", taskId)
        .where("idempotency_key", "=", key)
        .executeTakeFirstOrThrow();
      return { id: existing.id, created: false };
    }
    inserted = await insert();
    if (!inserted) throw new DomainError("OUTBOX_CONFLICT", `concurrent enqueue of ${taskId} ${key}`, { retryable: true });
  }
  return { id: inserted.id, created: true };
}

/**
 * Frees an idempotency key so the next enqueue with it creates a new run: used when the key's
 * TTL is over and when its run failed for good (a failed run releases its key, as on Trigger.dev).
 * The old row keeps its history under a suffixed key.
 */
export async function releaseIdempotencyKey(
  tx: Tx,
  taskId: string,
  key: string,
  options: { onlyExpiredAt?: Date } = {},
): Promise<boolean> {
  let query = tx
    .updateTable("task_outbox")
    .set({ idempotency_key: sql<string>`idempotency_key || '#released:' || id::text` })
    .where("task_id", "=", taskId)
    .where("idempotency_key", "=", key);
  if (options.onlyExpiredAt) query = query.where("idempotency_expires_at", "<=", options.onlyExpiredAt);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
