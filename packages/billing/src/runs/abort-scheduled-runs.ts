import type { Tx } from "@paycron/db";

/**
 * Ends the runs still waiting to charge a subscription, or one of its periods, when nothing is
 * left to collect (paid) or nobody may be charged any more (canceled, expired): invariant 9. Only
 * `scheduled` runs: one in progress finds the reason itself when it records its outcome.
 */
export async function abortScheduledRuns(
  tx: Tx,
  input: ({ subscriptionId: string } | { billingPeriodId: string }) & { code: string; now: Date },
): Promise<void> {
  const scope = "subscriptionId" in input ? (["subscription_id", input.subscriptionId] as const) : (["billing_period_id", input.billingPeriodId] as const);
  await tx
    .updateTable("billing_runs")
    .set({ status: "aborted", completed_at: input.now, error: JSON.stringify({ code: input.code }), updated_at: input.now })
    .where(scope[0], "=", scope[1])
    .where("status", "=", "scheduled")
    .execute();
}
