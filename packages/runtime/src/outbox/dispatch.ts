import { sql } from "kysely";
import { chunks, type Clock, type Logger } from "@paycron/core";
import type { Db, TaskOutboxRow } from "@paycron/db";
import { EngineRateLimitedError, type DispatchItem, type LocalDispatchEngine, type RemoteDispatchEngine, type RemoteDispatchResult, type TaskEngine } from "../engine/types.ts";

export interface DispatchDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  engine: TaskEngine;
}

export interface DispatchResult {
  dispatched: number;
  failed: number;
  /** The engine's limits hold the rest back this long (rows are left for then, none lost). */
  throttledMs?: number;
}

/** A claim on a row being sent to a remote engine; long enough for one fast-failing HTTP call. */
const REMOTE_CLAIM_MS = 30_000;
/** After n failed dispatches a row waits 1 s, 2 s, 4 s … before the next try, at most this long. */
const MAX_BACKOFF_MS = 5 * 60_000;

function toItem(row: TaskOutboxRow): DispatchItem {
  return {
    outboxId: row.id,
    taskId: row.task_id,
    payload: row.payload,
    idempotencyKey: row.idempotency_key,
    idempotencyExpiresAt: row.idempotency_expires_at,
    concurrencyKey: row.concurrency_key,
    availableAt: row.available_at,
    parentRunId: row.parent_run_id,
  };
}

/**
 * Hands due outbox rows to the engine and marks them dispatched. Called after commit by the
 * LISTEN-driven dispatcher, by its polling backup, and by the outbox-sweep task, so that a
 * crash between commit and dispatch only delays a run. Several dispatchers may run at once:
 * rows are claimed with FOR UPDATE SKIP LOCKED (local) or a lease (remote).
 */
export async function dispatchDue(deps: DispatchDeps, options: { limit?: number; ids?: readonly string[] } = {}): Promise<DispatchResult> {
  const engine = deps.engine;
  const only = options.ids ? { ids: options.ids } : {};
  // A local batch is one statement; a remote one is one batch call of up to the platform's maximum.
  if (engine.kind === "local") return dispatchLocal(deps, engine, options.limit ?? 500, only);
  return dispatchRemote(deps, engine, options.limit ?? (options.ids?.length === 1 ? 1 : engine.limits.maxBatchItems), only);
}

/** Restricts a pass to given rows (a task run's own follow-ups); due and undispatched still apply. */
interface Only {
  ids?: readonly string[];
}

async function dispatchLocal(deps: DispatchDeps, engine: LocalDispatchEngine, limit: number, only: Only): Promise<DispatchResult> {
  const now = deps.clock.now();
  try {
    const picked = claimable(deps.db, now, limit, only).forUpdate().skipLocked().select("id");
    return { dispatched: await engine.dispatch(deps.db, picked, now), failed: 0 };
  } catch (error) {
    if (limit === 1) throw error;
    // One bad row must not hold back the batch: retry row by row and record each failure.
    deps.logger.warn({ err: error }, "batch dispatch failed; dispatching rows one at a time");
    return dispatchLocalOneByOne(deps, engine, limit, only);
  }
}

async function dispatchLocalOneByOne(deps: DispatchDeps, engine: LocalDispatchEngine, limit: number, only: Only): Promise<DispatchResult> {
  const result: DispatchResult = { dispatched: 0, failed: 0 };
  const now = deps.clock.now();
  const ids = await claimable(deps.db, now, limit, only).select("id").execute();
  for (const { id } of ids) {
    try {
      const picked = claimable(deps.db, now, 1).where("id", "=", id).forUpdate().skipLocked().select("id");
      result.dispatched += await engine.dispatch(deps.db, picked, now);
    } catch (error) {
      result.failed += 1;
      await recordFailures(deps, [id], error);
    }
  }
  return result;
}

async function dispatchRemote(deps: DispatchDeps, engine: RemoteDispatchEngine, limit: number, only: Only): Promise<DispatchResult> {
  const capacity = engine.capacity();
  // One row alone (a run's follow-up) may go as a single trigger while batches wait for tokens.
  const wanted = Math.min(limit, capacity.batch >= 2 ? capacity.batch : limit === 1 && capacity.single ? 1 : 0);
  if (wanted === 0) return { dispatched: 0, failed: 0, throttledMs: capacity.retryInMs };
  const now = deps.clock.now();
  // Claim first and commit: the HTTP call must not run while we hold row locks.
  const claimed = await deps.db.transaction().execute(async (tx) => {
    const ids = await claimable(tx, now, wanted, { ...only, includeDelayed: true }).forUpdate().skipLocked().select("id").execute();
    if (ids.length === 0) return [];
    return tx
      .updateTable("task_outbox")
      .set({ lease_until: new Date(now.getTime() + REMOTE_CLAIM_MS), attempts: sql`attempts + 1` })
      .where("id", "in", ids.map((r) => r.id))
      .returningAll()
      .execute();
  });
  const result: DispatchResult = { dispatched: 0, failed: 0 };
  // One call per chunk, in turn: the pacer counts each before the next.
  for (const [i, rows] of chunks(claimed, engine.limits.maxBatchItems).entries()) {
    const ids = rows.map((r) => r.id);
    try {
      const sent = await engine.dispatch(rows.map(toItem), now);
      await markDispatched(deps, rows, sent);
      result.dispatched += rows.length;
    } catch (error) {
      if (error instanceof EngineRateLimitedError) {
        // Not a failure of these rows: they go back, uncounted, for when the platform takes them again.
        const rest = claimed.slice(i * engine.limits.maxBatchItems).map((r) => r.id);
        await releaseRateLimited(deps, rest, error);
        return { ...result, throttledMs: error.retryInMs };
      }
      result.failed += rows.length;
      await recordFailures(deps, ids, error, { counted: true });
    }
  }
  return result;
}

async function markDispatched(deps: DispatchDeps, rows: readonly TaskOutboxRow[], sent: RemoteDispatchResult): Promise<void> {
  await deps.db
    .updateTable("task_outbox")
    .set({ dispatched_at: deps.clock.now(), engine_run_id: sent.runId, engine_batch_id: sent.batchId, lease_until: null, last_error: null })
    .where("id", "in", rows.map((r) => r.id))
    .execute();
}

async function releaseRateLimited(deps: DispatchDeps, ids: string[], error: EngineRateLimitedError): Promise<void> {
  deps.logger.warn({ rows: ids.length, retryInMs: Math.ceil(error.retryInMs) }, "rate limited by Trigger.dev; dispatch paused until its limit resets");
  await deps.db
    .updateTable("task_outbox")
    .set({
      attempts: sql`attempts - 1`,
      lease_until: new Date(deps.clock.now().getTime() + error.retryInMs),
      last_error: `${error.name}: ${error.message}`,
    })
    .where("id", "in", ids)
    .where("dispatched_at", "is", null)
    .execute();
}

function claimable(db: Db, now: Date, limit: number, options: Only & { includeDelayed?: boolean } = {}) {
  let q = db
    .selectFrom("task_outbox")
    .where("dispatched_at", "is", null)
    .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<=", now)]));
  if (options.ids) q = q.where("id", "in", options.ids.length > 0 ? [...options.ids] : ["00000000-0000-0000-0000-000000000000"]);
  if (!options.includeDelayed) q = q.where("available_at", "<=", now);
  return q.orderBy("available_at").limit(limit);
}

async function recordFailures(deps: DispatchDeps, ids: readonly string[], error: unknown, options: { counted?: boolean } = {}) {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  deps.logger.warn({ rows: ids.length, outboxId: ids.length === 1 ? ids[0] : undefined, err: error }, "dispatch failed; the rows wait for the next sweep");
  // SET sees the row as it was: the attempt being counted here is `attempts + 1`.
  const attempts = options.counted ? sql<number>`attempts` : sql<number>`attempts + 1`;
  // The backoff per row, in the same statement: 1 s · 2^(attempts-1), at most MAX_BACKOFF_MS.
  const backoff = sql`least(${MAX_BACKOFF_MS}, 1000 * power(2, greatest(0, ${attempts} - 1))) * interval '1 millisecond'`;
  await deps.db
    .updateTable("task_outbox")
    .set({
      ...(options.counted ? {} : { attempts }),
      last_error: message.slice(0, 2000),
      lease_until: sql`${deps.clock.now()}::timestamptz + ${backoff}`,
    })
    .where("id", "in", [...ids])
    .where("dispatched_at", "is", null)
    .execute();
}
