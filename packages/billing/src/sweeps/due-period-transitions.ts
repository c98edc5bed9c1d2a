import type { CatchUpSweep } from "./catch-up-sweep.ts";
import { hourlyKey } from "./ticks.ts";

/** Active subscriptions whose current period has ended (index subscriptions_due_period_end). */
export const duePeriodTransitions: CatchUpSweep<{ id: string }> = {
  findDue: (tx, now, { after, limit }) =>
    tx
      .selectFrom("subscriptions")
      .select("id")
      .where("status", "=", "active")
      .where("current_period_end", "<=", now)
      .$if(after !== null, (q) => q.where("id", ">", after!))
      .orderBy("id")
      .limit(limit)
      .execute(),
  toItem: (row, now) => ({
    taskId: "subscription-advance",
    payload: { subscriptionId: row.id },
    options: { idempotencyKey: hourlyKey(row.id, now) },
  }),
};
