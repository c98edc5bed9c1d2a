import { withTransaction } from "@paycron/db";
import type { BillingDbDeps } from "../deps.ts";
import { afterFailedAttempt } from "./after-failed-attempt.ts";

export type FinalizeDunningResult =
  | { outcome: "not_past_due" | "run_pending" | "nothing_owed" }
  | { outcome: "resumed"; attempt: number };

/**
 * The daily cron's catch-up for a past_due subscription with no live run: the step after its
 * last failed attempt never happened (a crash, an aborted run, a ladder shortened since). Re-plays
 * that step under the subscription's lock: the next retry while the ladder has steps left, the
 * final action once it has none. The normal path takes the same step inline when the attempt
 * fails; this one only finds what fell through.
 */
export async function finalizeDunning(deps: BillingDbDeps, input: { subscriptionId: string }): Promise<FinalizeDunningResult> {
  const now = deps.clock.now();
  return withTransaction(deps.db, async (tx) => {
    const subscription = await tx.selectFrom("subscriptions").selectAll().where("id", "=", input.subscriptionId).forUpdate().executeTakeFirst();
    if (subscription?.status !== "past_due") return { outcome: "not_past_due" };
    const live = await tx
      .selectFrom("billing_runs")
      .select("id")
      .where("subscription_id", "=", subscription.id)
      .where("status", "in", ["scheduled", "in_progress", "awaiting_payment"])
      .executeTakeFirst();
    if (live) return { outcome: "run_pending" };
    const invoice = await tx
      .selectFrom("invoices")
      .selectAll()
      .where("subscription_id", "=", subscription.id)
      .where("status", "=", "open")
      .where("amount_due", ">", 0)
      .orderBy("issued_at")
      .executeTakeFirst();
    if (!invoice?.billing_period_id) return { outcome: "nothing_owed" };
    const run = await tx
      .selectFrom("billing_runs")
      .selectAll()
      .where("billing_period_id", "=", invoice.billing_period_id)
      .orderBy("attempt", "desc")
      .executeTakeFirstOrThrow();
    await afterFailedAttempt(tx, { subscription, run, invoice, now, clock: deps.clock, logger: deps.logger });
    return { outcome: "resumed", attempt: run.attempt };
  });
}
