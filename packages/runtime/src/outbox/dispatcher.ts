import { setTimeout as sleep } from "node:timers/promises";
import { listenWithPolling } from "@paycron/db";
import { dispatchDue, type DispatchDeps } from "./dispatch.ts";
import { dispatchProgress } from "./dispatch-progress.ts";
import { OUTBOX_CHANNEL } from "./enqueue.ts";

export interface DispatcherOptions extends DispatchDeps {
  connectionString: string;
  /** Backup for a lost NOTIFY and the way delayed rows come due. */
  pollIntervalMs?: number;
  /** How often a busy dispatcher logs its rate and backlog (default 10 s). */
  progressLogEveryMs?: number;
}

export interface Dispatcher {
  /** Dispatch now (coalesced with a pass already running). */
  kick(): void;
  stop(): Promise<void>;
}

/**
 * Dispatches outbox rows right after the enqueueing transaction commits: enqueue() NOTIFYs
 * inside the transaction, Postgres delivers it at commit, and this LISTENer wakes. Polling covers
 * notifications lost while reconnecting, and the outbox-sweep task covers a dead dispatcher.
 */
export function startDispatcher(options: DispatcherOptions): Dispatcher {
  const { logger } = options;
  const progress = dispatchProgress(options.db, options.engine, logger, options.progressLogEveryMs);
  const listener = listenWithPolling({
    connectionString: options.connectionString,
    channel: OUTBOX_CHANNEL,
    pollIntervalMs: options.pollIntervalMs ?? 1_000,
    applicationName: "paycron-dispatcher",
    logger,
    async onWake(stopping) {
      try {
        // Batches until a pass finds nothing due; a full batch usually means more is waiting.
        // Held back by the engine's limits, it waits them out (stop cuts the wait short).
        while (!stopping.aborted) {
          const result = await dispatchDue(options);
          progress.add(result);
          await progress.maybeLog();
          if (result.throttledMs !== undefined) await sleep(result.throttledMs, undefined, { signal: stopping }).catch(() => {});
          else if (result.dispatched === 0) break;
        }
      } catch (error) {
        logger.error({ err: error }, "outbox dispatch failed; retrying on the next poll");
      }
    },
  });
  return { kick: () => void listener.wake(), stop: listener.stop };
}
