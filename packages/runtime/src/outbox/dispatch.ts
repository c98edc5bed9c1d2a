import { sql } from "kysely";
import type { Clock, Logger } from "@paycron/core";
import type { Db, TaskOutboxRow } from "@paycron/db";
import type { DispatchItem, LocalDispatchEngine, RemoteDispatchEngine, TaskEngine } from "../engine/types.ts";

export interface DispatchDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  engine: TaskEngine;
}

export interface DispatchResult {
  dispatched: number;
  failed: number;
}

/** A claim on a row being sent to a remote engine; long enough for one fast-failing HTTP call. */
const REMOTE_CLAIM_MS = 30_000;
const MAX_BACKOFF_MS = 5 * 60_000;

/** After n failed dispatches a row waits 1s, 2s, 4s … (max 5 min) before the next try. */
export function dispatchBackoffMs(attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, 1_000 * 2 ** Math.max(0, attempts - 1));
}

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
  // A local batch is one statement, so a bigger one costs little; remote rows are HTTP calls each.
  if (engine.kind === "local") return dispatchLocal(deps, engine, options.limit ?? 500, only);
  return dispatchRemote(deps, engine, options.limit ?? 100, only);
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
      await recordFailure(deps, id, error);
    }
  }
  return result;
}

async function dispatchRemote(deps: DispatchDeps, engine: RemoteDispatchEngine, limit: number, only: Only): Promise<DispatchResult> {
  const now = deps.clock.now();
  // Claim first and commit: the HTTP call must not run while we hold row locks.
  const claimed = await deps.db.transaction().execute(async (tx) => {
    const ids = await claimable(tx, now, limit, { ...only, includeDelayed: true }).forUpdate().skipLocked().select("id").execute();
    if (ids.length === 0) return [];
    return tx
      .updateTable("task_outbox")
      .set({ lease_until: new Date(now.getTime() + REMOTE_CLAIM_MS), attempts: sql`attempts + 1` })
      .where("id", "in", ids.map((r) => r.id))
      .returningAll()
      .execute();
  });
  const result: DispatchResult = { dispatched: 0, failed: 0 };
  await Promise.all(
    claimed.map(async (row) => {
      try {
        const runId = await engine.dispatch(toItem(row), now);
        await deps.db
          .updateTable("task_outbox")
          .set({ dispatched_at: deps.clock.now(), engine_run_id: runId, lease_until: null, last_error: null })
          .where("id", "=", row.id)
          .execute();
        result.dispatched += 1;
      } catch (error) {
        result.failed += 1;
        await recordFailure(deps, row.id, error, { counted: true });
      }
    }),
  );
  return result;
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

async function recordFailure(deps: DispatchDeps, id: string, error: unknown, options: { counted?: boolean } = {}) {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  deps.logger.warn({ outboxId: id, err: error }, "dispatch failed; the row waits for the next sweep");
  const row = await deps.db
    .updateTable("task_outbox")
    .set({ attempts: options.counted ? sql`attempts` : sql`attempts + 1`, last_error: message.slice(0, 2000) })
    .where("id", "=", id)
    .returning("attempts")
    .executeTakeFirst();
  const backoff = dispatchBackoffMs(row?.attempts ?? 1);
  await deps.db
    .updateTable("task_outbox")
    .set({ lease_until: new Date(deps.clock.now().getTime() + backoff) })
    .where("id", "=", id)
    .where("dispatched_at", "is", null)
    .execute();
}
