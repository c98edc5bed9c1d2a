import { perRow, type CatchUpSweep } from "./catch-up-sweep.ts";
import { dailyKey } from "./ticks.ts";

/*
 * A past_due subscription with a live run (a dunning retry scheduled, running or awaiting its
 * payment) is still on the ladder; one without is where the ladder ended and the organization's
 * final action must be applied (the reference system did nothing here).
 */
const LIVE_RUN = ["scheduled", "in_progress", "awaiting_payment"] as const;

/** Past_due subscriptions with no live billing run in any of their periods (index subscriptions_past_due). */
export const exhaustedDunning: CatchUpSweep<{ id: string }> = {
  findDue: (tx, _now, { after, limit }) =>
    tx
      .selectFrom("subscriptions")
      .select("subscriptions.id")
      .where("subscriptions.status", "=", "past_due")
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom("billing_periods")
              .innerJoin("billing_runs", "billing_runs.billing_period_id", "billing_periods.id")
              .select("billing_runs.id")
              .whereRef("billing_periods.subscription_id", "=", "subscriptions.id")
              .where("billing_runs.status", "in", LIVE_RUN),
          ),
        ),
      )
      .$if(after !== null, (q) => q.where("subscriptions.id", ">", after!))
      .orderBy("subscriptions.id")
      .limit(limit)
      .execute(),
  toItems: perRow((row, now) => ({
    taskId: "dunning-finalize",
    payload: { subscriptionId: row.id },
    options: { idempotencyKey: dailyKey(row.id, now) },
  })),
};
