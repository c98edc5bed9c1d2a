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
