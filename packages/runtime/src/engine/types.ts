import type { Expression } from "kysely";
import type { Db } from "@paycron/db";
import type { TriggerLimits } from "./trigger-limits.ts";

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
 * an HTTP call made after the claim commits; its idempotency keys make a repeated call harmless.
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

/** A lone item's run (the API names it), or the batch that carried several (it names no run per item). */
export type RemoteDispatchResult = { runId: string; batchId: null } | { runId: null; batchId: string };

export interface RemoteDispatchEngine {
  kind: "trigger";
  limits: TriggerLimits;
  /** What may be sent now within the platform's limits (a batch of up to `batch`, or one item alone), else how long until it may. */
  capacity(): { batch: number; single: boolean; retryInMs: number };
  /** 1 while the full configured rates are used; less after a 429 (it grows back). */
  rateScale(): number;
  /**
   * Sends 1 to `limits.maxBatchItems` items in one call. Must fail fast when the engine is
   * unreachable; throws EngineRateLimitedError on a 429.
   */
  dispatch(items: readonly DispatchItem[], now: Date): Promise<RemoteDispatchResult>;
}

/** The engine answered 429: nothing was sent that its idempotency keys will not absorb; try after `retryInMs`. */
export class EngineRateLimitedError extends Error {
  constructor(
    readonly retryInMs: number,
    cause: unknown,
  ) {
    super(`rate limited by the engine; retry in ${Math.ceil(retryInMs)} ms`, { cause });
    this.name = "EngineRateLimitedError";
  }
}
