import type { Logger } from "@paycron/core";
import { withTransaction, type Db, type Tx } from "@paycron/db";

/**
 * `step` over all the items in one transaction, after locking the items' subscriptions in id order
 * (the order every billing transaction locks in: subscription first). If that transaction fails,
 * `step` is run again for each item alone, in a transaction of its own, and the items that fail
 * there too are left out of the result, their errors added to `errors`. A single item runs in one
 * transaction, as it always did, and its error is added to `errors`. `step` returns each item
 * with its result.
 */
export async function inTransactions<T, R>(
  deps: { db: Db; logger: Logger },
  items: T[],
  subscriptionOf: (item: T) => string,
  step: (tx: Tx, items: T[]) => Promise<Array<[T, R]>>,
  errors: unknown[],
): Promise<Array<[T, R]>> {
  if (items.length > 1) {
    try {
      return await withTransaction(deps.db, async (tx) => {
        const ids = [...new Set(items.map(subscriptionOf))].sort();
        await tx.selectFrom("subscriptions").select("id").where("id", "in", ids).orderBy("id").forUpdate().execute();
        return step(tx, items);
      });
    } catch (error) {
      deps.logger.warn({ err: error, items: items.length }, "billing batch transaction failed: doing its items one by one");
    }
  }
  const out: Array<[T, R]> = [];
  for (const item of items) {
    try {
      out.push(...(await withTransaction(deps.db, (tx) => step(tx, [item]))));
    } catch (error) {
      errors.push(error);
    }
  }
  return out;
}

/** `fn` over `items` by at most `width` at once, results in the items' order. */
export async function inParallel<T, R>(items: T[], width: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, width), items.length) }, worker));
  return out;
}


/** `items` in consecutive slices of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
