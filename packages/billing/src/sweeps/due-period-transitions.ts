import { chunks } from "@paycron/core";
import type { CatchUpSweep } from "./catch-up-sweep.ts";
import { hourlyKey } from "./ticks.ts";

/** Subscriptions per `subscription-advance-batch` task (one transaction each). */
export const ADVANCE_BATCH_SIZE = 100;

/**
 * Active subscriptions whose current period has ended (index subscriptions_due_period_end),
 * handed over by ADVANCE_BATCH_SIZE to `subscription-advance-batch`.
 */
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
  toItems: (page, now) =>
    chunks(page, ADVANCE_BATCH_SIZE).map((rows) => ({
      taskId: "subscription-advance-batch",
      payload: { subscriptionIds: rows.map((row) => row.id) },
      options: { idempotencyKey: hourlyKey(rows[0]!.id, now) },
    })),
};
