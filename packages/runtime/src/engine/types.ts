import type { Expression } from "kysely";
import type { Db } from "@paycron/db";

/** An outbox row as the dispatcher hands it to an engine. */
export interface DispatchItem {
  outboxId: string;
  taskId: string;
  payload: unknown;
  idempotencyKey: string;
  idempotencyExpiresAt: Date;
  concurrencyKey: string | null;
  availableAt: Date;
  parentRunId: string | null;
}

/**
 * Where runs execute. The local engine shares our Postgres, so it records the run, its graphile
 * job and the outbox row's dispatch in one statement (exactly once by construction). Trigger.dev is
 * an HTTP call made after the claim commits; its idempotency key makes a repeated call harmless.
 */
export type TaskEngine = LocalDispatchEngine | RemoteDispatchEngine;

export interface LocalDispatchEngine {
  kind: "local";
  /**
   * Dispatches the outbox rows `picked` selects and locks (FOR UPDATE SKIP LOCKED), marking them
   * dispatched in the same statement; returns how many.
   */
  dispatch(db: Db, picked: Expression<{ id: string }>, now: Date): Promise<number>;
}

export interface RemoteDispatchEngine {
  kind: "trigger";
  /** Returns the engine's run id. Must fail fast when the engine is unreachable. */
  dispatch(item: DispatchItem, now: Date): Promise<string>;
}
