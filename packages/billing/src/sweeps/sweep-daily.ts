import { pruneWebhookEvents } from "@paycron/inbox";
import { pruneRuntimeHistory } from "@paycron/runtime";
import { runCatchUpSweep, type SweepCount, type SweepDeps, type SweepOptions } from "./catch-up-sweep.ts";
import { exhaustedDunning } from "./exhausted-dunning.ts";
import { expiredIncompleteSubscriptions } from "./expired-incomplete-subscriptions.ts";

export interface DailySweepOptions extends SweepOptions {
  /** Settled webhook events older than this are deleted (default 90). */
  webhookEventsOlderThanDays?: number;
}

export interface DailySweepReport {
  dunning: SweepCount;
  incompleteExpiry: SweepCount;
  pages: number;
  retention: {
    runtime: Awaited<ReturnType<typeof pruneRuntimeHistory>>;
    webhookEvents: { deleted: number };
  };
}

/**
 * The daily cron: hands every past_due subscription whose dunning ladder has ended and every
 * incomplete subscription past 23 hours to its per-item task (catch-up queries, as the hourly
 * sweep), then deletes old history: finished task runs and spent outbox rows, and settled
 * webhook events.
 */
export async function sweepDaily(deps: SweepDeps, options: DailySweepOptions = {}): Promise<DailySweepReport> {
  const now = deps.clock.now();
  const dunning = await runCatchUpSweep(deps, exhaustedDunning, now, options);
  const incompleteExpiry = await runCatchUpSweep(deps, expiredIncompleteSubscriptions, now, options);
  // pruneRuntimeHistory is typed for a task's full deps but reads only db, clock and logger.
  const runtime = await pruneRuntimeHistory(deps);
  const webhookEvents = await pruneWebhookEvents(deps, { olderThanDays: options.webhookEventsOlderThanDays });
  const report: DailySweepReport = {
    dunning,
    incompleteExpiry,
    pages: dunning.pages + incompleteExpiry.pages,
    retention: { runtime, webhookEvents },
  };
  deps.logger.info({ ...report, now }, "daily sweep");
  return report;
}
