import { sql } from "kysely";
import type { Clock, Logger } from "@paycron/core";
import type { Db, TaskOutboxRow } from "@paycron/db";
import type { DispatchItem, RemoteDispatchEngine, TaskEngine } from "../engine/types.ts";

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
export async function dispatchDue(deps: DispatchDeps, options: { limit?: number } = {}): Promise<DispatchResult> {
  const limit = options.limit ?? 100;
  return deps.engine.kind === "local" ? dispatchLocal(deps, limit) : dispatchRemote(deps, deps.engine, limit);
}

async function dispatchLocal(deps: DispatchDeps, limit: number): Promise<DispatchResult> {
  const engine = deps.engine;
  if (engine.kind !== "local") throw new Error("unreachable");
  const now = deps.clock.now();
  try {
    const count = await deps.db.transaction().execute(async (tx) => {
      const rows = await claimable(tx, now, limit).forUpdate().skipLocked().selectAll().execute();
      if (rows.length === 0) return 0;
      const runIds = await engine.dispatchInTransaction(tx, rows.map(toItem));
      await markDispatched(tx, now, runIds);
      return rows.length;
    });
    return { dispatched: count, failed: 0 };
  } catch (error) {
    if (limit === 1) throw error;
    // One bad row must not hold back the batch: retry row by row and record each failure.
    deps.logger.warn({ err: error }, "batch dispatch failed; dispatching rows one at a time");
    return dispatchLocalOneByOne(deps, limit);
  }
}

async function dispatchLocalOneByOne(deps: DispatchDeps, limit: number): Promise<DispatchResult> {
  const result: DispatchResult = { dispatched: 0, failed: 0 };
  const now = deps.clock.now();
  const ids = await claimable(deps.db, now, limit).select("id").execute();
  for (const { id } of ids) {
    try {
      const n = await deps.db.transaction().execute(async (tx) => {
        const rows = await claimable(tx, now, 1).where("id", "=", id).forUpdate().skipLocked().selectAll().execute();
        if (rows.length === 0) return 0;
        const engine = deps.engine;
        if (engine.kind !== "local") throw new Error("unreachable");
        await markDispatched(tx, now, await engine.dispatchInTransaction(tx, rows.map(toItem)));
        return 1;
      });
      result.dispatched += n;
    } catch (error) {
      result.failed += 1;
      await recordFailure(deps, id, error);
    }
  }
  return result;
}

async function dispatchRemote(deps: DispatchDeps, engine: RemoteDispatchEngine, limit: number): Promise<DispatchResult> {
  const now = deps.clock.now();
  // Claim first and commit: the HTTP call must not run while we hold row locks.
  const claimed = await deps.db.transaction().execute(async (tx) => {
    const ids = await claimable(tx, now, limit, { includeDelayed: true }).forUpdate().skipLocked().select("id").execute();
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

function claimable(db: Db, now: Date, limit: number, options: { includeDelayed?: boolean } = {}) {
  let q = db
    .selectFrom("task_outbox")
    .where("dispatched_at", "is", null)
    .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<=", now)]));
  if (!options.includeDelayed) q = q.where("available_at", "<=", now);
  return q.orderBy("available_at").limit(limit);
}

async function markDispatched(tx: Db, now: Date, runIds: Map<string, string>): Promise<void> {
  if (runIds.size === 0) return;
  const values = [...runIds].map(([outboxId, runId]) => sql`(${outboxId}::uuid, ${runId})`);
  await sql`
    update task_outbox o set dispatched_at = ${now}, engine_run_id = v.run_id, lease_until = null, last_error = null
    from (values ${sql.join(values)}) as v(id, run_id)
    where o.id = v.id`.execute(tx);
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
