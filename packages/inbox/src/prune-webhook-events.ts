import type { Clock, Logger } from "@paycron/core";
import type { Db, WebhookEventStatus } from "@paycron/db";

export interface PruneWebhookEventsOptions {
  /** Settled events received more than this many days ago are deleted (default 90). */
  olderThanDays?: number;
  /** Rows per DELETE, so one run never holds locks on millions of rows (default 1000). */
  batchSize?: number;
}

/*
 * Only what nobody will act on again. `unhandled` is kept: a replay re-opens it once its handler
 * lands. `received` and `failed` still wait for their task.
 */
const SETTLED: WebhookEventStatus[] = ["processed", "ignored"];

/**
 * Daily retention of the webhook inbox: deletes settled events received before now − N days, in
 * batches (each DELETE its own statement). A redelivery of a deleted event would be stored again;
 * Stripe stops redelivering after 3 days, so 90 days leaves a wide margin.
 */
export async function pruneWebhookEvents(
  deps: { db: Db; clock: Clock; logger: Logger },
  options: PruneWebhookEventsOptions = {},
): Promise<{ deleted: number }> {
  const days = options.olderThanDays ?? 90;
  const batchSize = options.batchSize ?? 1000;
  if (!(days >= 0) || !Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`pruneWebhookEvents: olderThanDays must be >= 0 and batchSize a positive integer (got ${days}, ${batchSize})`);
  }
  const cutoff = new Date(deps.clock.now().getTime() - days * 86_400_000);
  let deleted = 0;
  for (;;) {
    const result = await deps.db
      .deleteFrom("webhook_events")
      .where("id", "in", (db) =>
        db.selectFrom("webhook_events").select("id").where("status", "in", SETTLED).where("received_at", "<", cutoff).limit(batchSize),
      )
      .executeTakeFirst();
    const n = Number(result.numDeletedRows);
    deleted += n;
    if (n < batchSize) break;
  }
  if (deleted > 0) deps.logger.info({ deleted, cutoff }, "webhook events pruned");
  return { deleted };
}
