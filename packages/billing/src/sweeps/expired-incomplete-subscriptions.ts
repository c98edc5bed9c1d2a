import type { CatchUpSweep } from "./catch-up-sweep.ts";
import { dailyKey, hoursBefore } from "./ticks.ts";

/** As Stripe: an incomplete subscription whose first payment has not succeeded within 23 hours expires. */
export const INCOMPLETE_EXPIRY_HOURS = 23;

/** Incomplete subscriptions created at least 23 hours ago (index subscriptions_incomplete). */
export const expiredIncompleteSubscriptions: CatchUpSweep<{ id: string }> = {
  findDue: (tx, now, { after, limit }) =>
    tx
      .selectFrom("subscriptions")
      .select("id")
      .where("status", "=", "incomplete")
      .where("created_at", "<=", hoursBefore(now, INCOMPLETE_EXPIRY_HOURS))
      .$if(after !== null, (q) => q.where("id", ">", after!))
      .orderBy("id")
      .limit(limit)
      .execute(),
  toItem: (row, now) => ({
    taskId: "subscription-expire-incomplete",
    payload: { subscriptionId: row.id },
    options: { idempotencyKey: dailyKey(row.id, now) },
  }),
};
