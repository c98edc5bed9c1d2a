import type { Tx } from "@paycron/db";

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
 * Where runs execute. The local engine shares our Postgres, so it records the run and its
 * graphile job in the dispatcher's transaction (exactly once by construction). Trigger.dev is
 * an HTTP call made after the claim commits; its idempotency key makes a repeated call harmless.
 */
export type TaskEngine = LocalDispatchEngine | RemoteDispatchEngine;

export interface LocalDispatchEngine {
  kind: "local";
  dispatchInTransaction(tx: Tx, items: DispatchItem[]): Promise<Map<string, string>>;
}

export interface RemoteDispatchEngine {
  kind: "trigger";
  /** Returns the engine's run id. Must fail fast when the engine is unreachable. */
  dispatch(item: DispatchItem, now: Date): Promise<string>;
}
