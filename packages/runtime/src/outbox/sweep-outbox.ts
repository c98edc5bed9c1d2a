import type { TaskDeps } from "../task-deps.ts";
import { createEngine, readEngineConfig } from "../engine/engine-config.ts";
import type { TaskEngine } from "../engine/types.ts";
import { dispatchDue, type DispatchResult } from "./dispatch.ts";

/**
 * The outbox-sweep task: whatever a crash left undispatched (committed, never handed over, or
 * failed to dispatch and backed off) goes out now. On Trigger.dev this is the only dispatcher
 * besides the one in the enqueuing process.
 */
export async function sweepOutbox(deps: TaskDeps, options: { engine?: TaskEngine; maxRows?: number } = {}): Promise<DispatchResult> {
  const engine = options.engine ?? createEngine(readEngineConfig());
  const total: DispatchResult = { dispatched: 0, failed: 0 };
  const maxRows = options.maxRows ?? 10_000;
  while (total.dispatched + total.failed < maxRows) {
    const r = await dispatchDue({ ...deps, engine });
    total.dispatched += r.dispatched;
    total.failed += r.failed;
    if (r.dispatched === 0) break;
  }
  if (total.dispatched + total.failed > 0) deps.logger.info(total, "outbox sweep");
  return total;
}
