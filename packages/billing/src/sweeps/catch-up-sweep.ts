import type { Clock, Logger } from "@paycron/core";
import { withTransaction, type Db, type Tx } from "@paycron/db";
import { enqueueMany, type EnqueueItem } from "@paycron/runtime";

export interface SweepDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
}

export interface SweepOptions {
  /** Rows per page, each page one transaction and one enqueueMany (default 500). */
  pageSize?: number;
}

/**
 * One catch-up query: everything due as of `now` and not yet done, with no lower time bound, so a
 * missed tick or a day of downtime is caught up by the next run. Rows come in keyset pages by id.
 */
export interface CatchUpSweep<Row extends { id: string }> {
  findDue(tx: Tx, now: Date, page: { after: string | null; limit: number }): Promise<Row[]>;
  /** The follow-up tasks for a page of rows, each with a deterministic idempotency key. */
  toItems(page: Row[], now: Date): EnqueueItem[];
}

/** toItems for a sweep whose rows each get a task of their own. */
export const perRow =
  <Row>(toItem: (row: Row, now: Date) => EnqueueItem) =>
  (page: Row[], now: Date): EnqueueItem[] =>
    page.map((row) => toItem(row, now));

export interface SweepCount {
  /** Rows due at this tick. */
  found: number;
  /** Outbox rows this run added (a row already enqueued for this tick adds none). */
  enqueued: number;
  /** Non-empty pages read. */
  pages: number;
}

export const DEFAULT_PAGE_SIZE = 500;

/** Pages through a sweep's due rows, each page fanned out with one enqueueMany in its own transaction. */
export async function runCatchUpSweep<Row extends { id: string }>(
  deps: SweepDeps,
  sweep: CatchUpSweep<Row>,
  now: Date,
  options: SweepOptions = {},
): Promise<SweepCount> {
  const limit = options.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`pageSize must be a positive integer (got ${limit})`);
  const count: SweepCount = { found: 0, enqueued: 0, pages: 0 };
  let after: string | null = null;
  for (;;) {
    const rows: Row[] = await withTransaction(deps.db, async (tx) => {
      const page = await sweep.findDue(tx, now, { after, limit });
      if (page.length === 0) return page;
      const items = await withoutLiveKeys(tx, now, sweep.toItems(page, now));
      const results = await enqueueMany(tx, deps.clock, items);
      count.enqueued += results.filter((r) => r.created).length;
      return page;
    });
    if (rows.length === 0) break;
    count.found += rows.length;
    count.pages += 1;
    if (rows.length < limit) break;
    after = rows.at(-1)!.id;
  }
  return count;
}

/*
 * Drops items whose key already has a live outbox row (a second firing of the same tick, a retry
 * of a sweep that failed half-way). enqueueMany would skip them too, but one by one, with several
 * queries each: this is one query per page.
 */
async function withoutLiveKeys(tx: Tx, now: Date, items: EnqueueItem[]): Promise<EnqueueItem[]> {
  const keys = items.map((item) => item.options!.idempotencyKey!);
  const live = await tx
    .selectFrom("task_outbox")
    .select(["task_id", "idempotency_key"])
    .where("task_id", "in", [...new Set(items.map((item) => item.taskId))])
    .where("idempotency_key", "in", keys)
    .where("idempotency_expires_at", ">", now)
    .execute();
  const taken = new Set(live.map((row) => `${row.task_id}\u0000${row.idempotency_key}`));
  return items.filter((item) => !taken.has(`${item.taskId}\u0000${item.options!.idempotencyKey!}`));
}
