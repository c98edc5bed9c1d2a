import { sql } from "kysely";
import type { Logger } from "@paycron/core";
import type { Db } from "@paycron/db";
import type { TaskEngine } from "../engine/types.ts";
import type { DispatchResult } from "./dispatch.ts";

/**
 * What the dispatcher has done lately, logged at most every 10 s while it works: rows handed over
 * and their rate, rows still waiting (the backlog), time spent held back by the engine's limits,
 * and the share of the configured rates in use after a 429. Real time: it reports real throughput.
 */
export function dispatchProgress(db: Db, engine: TaskEngine, logger: Logger, logEveryMs = 10_000) {
  let since = performance.now();
  let dispatched = 0;
  let failed = 0;
  let throttledMs = 0;
  return {
    add(result: DispatchResult): void {
      dispatched += result.dispatched;
      failed += result.failed;
      throttledMs += result.throttledMs ?? 0;
    },
    async maybeLog(): Promise<void> {
      const elapsed = performance.now() - since;
      if (elapsed < logEveryMs || dispatched + failed + throttledMs === 0) return;
      const line = {
        dispatched,
        failed,
        perSecond: Math.round((dispatched * 1_000) / elapsed),
        backlog: await outboxBacklog(db),
        throttledMs: Math.round(throttledMs),
        ...(engine.kind === "trigger" ? { rateScale: Number(engine.rateScale().toFixed(2)) } : {}),
      };
      since = performance.now();
      dispatched = failed = throttledMs = 0;
      logger.info(line, "outbox dispatch");
    },
  };
}

/** Rows committed and not yet handed to the engine (due or delayed). */
export async function outboxBacklog(db: Db): Promise<number> {
  const row = await db
    .selectFrom("task_outbox")
    .select(sql<string>`count(*)`.as("n"))
    .where("dispatched_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
