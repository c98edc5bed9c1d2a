import { withTransaction } from "@paycron/db";
import type { BillingDbDeps } from "../deps.ts";
import { INCOMPLETE_EXPIRY_MS } from "../dunning/after-failed-attempt.ts";
import { abortScheduledRuns } from "../runs/abort-scheduled-runs.ts";

export type ExpireIncompleteResult = { outcome: "expired" | "not_incomplete" | "not_yet" | "payment_pending" };

/**
 * A subscription whose first payment has not succeeded 23 hours after sign-up ends as
 * `incomplete_expired` (Stripe's rule): its open invoice is voided and its runs aborted. One
 * whose first payment is still settling (a bank debit) is left alone until it settles.
 */
export async function expireIncompleteSubscription(deps: BillingDbDeps, input: { subscriptionId: string }): Promise<ExpireIncompleteResult> {
  const now = deps.clock.now();
  const result = await withTransaction(deps.db, async (tx): Promise<ExpireIncompleteResult> => {
    const subscription = await tx.selectFrom("subscriptions").selectAll().where("id", "=", input.subscriptionId).forUpdate().executeTakeFirst();
    if (subscription?.status !== "incomplete") return { outcome: "not_incomplete" };
    if (subscription.created_at.getTime() + INCOMPLETE_EXPIRY_MS > now.getTime()) return { outcome: "not_yet" };
    const pending = await tx
      .selectFrom("billing_runs")
      .select("id")
      .where("subscription_id", "=", subscription.id)
      .where("status", "in", ["in_progress", "awaiting_payment"])
      .executeTakeFirst();
    if (pending) return { outcome: "payment_pending" };
    await tx.updateTable("subscriptions").set({ status: "incomplete_expired", ended_at: now, updated_at: now }).where("id", "=", subscription.id).execute();
    await tx
      .updateTable("invoices")
      .set({ status: "void", voided_at: now, updated_at: now })
      .where("subscription_id", "=", subscription.id)
      .where("status", "=", "open")
      .where("amount_paid", "=", 0)
      .execute();
    await abortScheduledRuns(tx, { subscriptionId: subscription.id, code: "subscription_incomplete_expired", now });
    await tx
      .updateTable("billing_periods")
      .set({ status: "canceled", updated_at: now })
      .where("subscription_id", "=", subscription.id)
      .where("status", "in", ["upcoming", "active", "past_due"])
      .execute();
    return { outcome: "expired" };
  });
  if (result.outcome === "expired") deps.logger.info({ subscriptionId: input.subscriptionId }, "incomplete subscription expired");
  return result;
}
