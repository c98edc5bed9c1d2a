import type { CatchUpSweep } from "./catch-up-sweep.ts";
import { hourlyKey } from "./ticks.ts";

/** Scheduled billing runs whose time has come, however long ago (index billing_runs_due). */
export const dueBillingRuns: CatchUpSweep<{ id: string }> = {
  findDue: (tx, now, { after, limit }) =>
    tx
      .selectFrom("billing_runs")
      .select("id")
      .where("status", "=", "scheduled")
      .where("scheduled_for", "<=", now)
      .$if(after !== null, (q) => q.where("id", ">", after!))
      .orderBy("id")
      .limit(limit)
      .execute(),
  toItem: (row, now) => ({
    taskId: "billing-run",
    payload: { billingRunId: row.id },
    options: { idempotencyKey: hourlyKey(row.id, now) },
  }),
};
