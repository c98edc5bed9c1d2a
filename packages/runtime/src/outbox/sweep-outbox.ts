import { setTimeout as sleep } from "node:timers/promises";
import type { TaskDeps } from "../task-deps.ts";
import { dispatchDue, type DispatchResult } from "./dispatch.ts";

/** A sweep waits out a short hold of the engine's limits; a longer one is left to the next sweep or the dispatcher. */
const MAX_SWEEP_WAIT_MS = 10_000;

/**
 * The outbox-sweep task: whatever a crash left undispatched (committed, never handed over, or
 * failed to dispatch and backed off) goes out now, to the engine the worker was given. On
 * Trigger.dev it backs up the webhook app's dispatcher and the runs that dispatch their own follow-ups.
 */
export async function sweepOutbox(deps: Pick<TaskDeps, "db" | "clock" | "logger" | "engine">, options: { maxRows?: number } = {}): Promise<DispatchResult> {
  const total: DispatchResult = { dispatched: 0, failed: 0 };
  const maxRows = options.maxRows ?? 10_000;
  while (total.dispatched + total.failed < maxRows) {
    const r = await dispatchDue(deps);
    total.dispatched += r.dispatched;
    total.failed += r.failed;
    if (r.throttledMs !== undefined) {
      total.throttledMs = (total.throttledMs ?? 0) + r.throttledMs;
      if (r.throttledMs > MAX_SWEEP_WAIT_MS) break;
      await sleep(r.throttledMs);
    } else if (r.dispatched === 0) break;
  }
  if (total.dispatched + total.failed > 0) deps.logger.info(total, "outbox sweep");
  return total;
}
