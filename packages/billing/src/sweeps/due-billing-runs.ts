import { RUN_BATCH_SIZE } from "../periods/advance-period.ts";
import { chunks } from "@paycron/core";
import type { CatchUpSweep } from "./catch-up-sweep.ts";
import { hourlyKey } from "./ticks.ts";

/**
 * Scheduled billing runs whose time has come, however long ago (index billing_runs_due), handed
 * over by RUN_BATCH_SIZE to `billing-run-batch`.
 */
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
  toItems: (page, now) =>
    chunks(page, RUN_BATCH_SIZE).map((rows) => ({
      taskId: "billing-run-batch",
      payload: { billingRunIds: rows.map((row) => row.id) },
      options: { idempotencyKey: hourlyKey(rows[0]!.id, now) },
    })),
};
