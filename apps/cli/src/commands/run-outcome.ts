import type { Logger } from "@paycron/core";
import { systemClock } from "@paycron/core";
import { createEngine, dispatchNow, findRun, type FoundRun } from "@paycron/local-engine";
import type { CliDatabase } from "../database.ts";
import type { CliEnv } from "../env.ts";
import { formatRelative } from "../format-table.ts";

/** How long to wait for a row a running dispatcher (pnpm dev) holds to become its run. */
const DISPATCHER_GRACE_MS = 5_000;

/**
 * Dispatches an enqueued outbox row at once and says which run it is: `run <id> new|existing
 * <task>`. A delayed row is not a run yet; it is named by its outbox id, which `runs show` and
 * `runs cancel` accept, with the time it will run.
 */
export async function dispatchAndDescribe(
  deps: { database: CliDatabase; env: CliEnv; logger: Logger },
  enqueued: { id: string; created: boolean },
  taskId: string,
): Promise<string> {
  const { database, env, logger } = deps;
  const engine = createEngine(env.engine);
  await dispatchNow({ db: database.db, connectionString: database.url, clock: systemClock, logger, engine }, [enqueued.id]);
  const age = enqueued.created ? "new" : "existing";
  let found = await findRun(database.db, enqueued.id);
  const deadline = performance.now() + DISPATCHER_GRACE_MS;
  while (found?.kind === "pending" && found.outbox.available_at <= systemClock.now() && performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    found = await findRun(database.db, enqueued.id);
  }
  return describe(found, enqueued.id, age, taskId);
}

function describe(found: FoundRun | undefined, outboxId: string, age: string, taskId: string): string {
  if (!found) throw new Error(`outbox row ${outboxId} vanished before its run could be read`);
  if (found.kind === "run") {
    const { run } = found;
    return age === "new" ? `run ${run.id} new ${taskId}` : `run ${run.id} existing ${taskId} (${run.status}; its idempotency key is still held)`;
  }
  if (found.kind === "remote") {
    const { engine_run_id: runId, engine_batch_id: batchId } = found.outbox;
    return `${runId ? `run ${runId}` : `a run of batch ${batchId}`} ${age} ${taskId} (on Trigger.dev)`;
  }
  const { outbox } = found;
  const now = systemClock.now();
  if (outbox.available_at > now) {
    return `delayed ${outbox.id} ${age} ${taskId}: runs at ${outbox.available_at.toISOString()} (${formatRelative(outbox.available_at, now)}); runs show/cancel take this id`;
  }
  const why = outbox.last_error ? `dispatch failed: ${outbox.last_error}` : "no dispatcher has taken it yet";
  return `queued ${outbox.id} ${age} ${taskId}: not a run yet (${why}); runs show/cancel take this id`;
}
