import { perRow, type CatchUpSweep } from "./catch-up-sweep.ts";

/**
 * Billing runs left `in_progress` by a worker that died holding the lease (index
 * billing_runs_expired_lease). The key names the lease: each expiry is handed over once, and a
 * run re-claimed and abandoned again has a new lease, so a new key.
 */
export const expiredRunLeases: CatchUpSweep<{ id: string; lease_until: Date }> = {
  findDue: (tx, now, { after, limit }) =>
    tx
      .selectFrom("billing_runs")
      .select(["id", "lease_until"])
      .where("status", "=", "in_progress")
      .where("lease_until", "<=", now)
      .$if(after !== null, (q) => q.where("id", ">", after!))
      .orderBy("id")
      .limit(limit)
      .$narrowType<{ lease_until: Date }>()
      .execute(),
  toItems: perRow((row) => ({
    taskId: "billing-run",
    payload: { billingRunId: row.id },
    options: { idempotencyKey: `${row.id}@lease:${row.lease_until.toISOString()}` },
  })),
};
