import { INCOMPLETE_EXPIRY_MS } from "../dunning/after-failed-attempt.ts";
import { perRow, type CatchUpSweep } from "./catch-up-sweep.ts";
import { dailyKey } from "./ticks.ts";

/** Incomplete subscriptions created at least 23 hours ago (index subscriptions_incomplete). */
export const expiredIncompleteSubscriptions: CatchUpSweep<{ id: string }> = {
  findDue: (tx, now, { after, limit }) =>
    tx
      .selectFrom("subscriptions")
      .select("id")
      .where("status", "=", "incomplete")
      .where("created_at", "<=", new Date(now.getTime() - INCOMPLETE_EXPIRY_MS))
      .$if(after !== null, (q) => q.where("id", ">", after!))
      .orderBy("id")
      .limit(limit)
      .execute(),
  toItems: perRow((row, now) => ({
    taskId: "subscription-expire-incomplete",
    payload: { subscriptionId: row.id },
    options: { idempotencyKey: dailyKey(row.id, now) },
  })),
};
