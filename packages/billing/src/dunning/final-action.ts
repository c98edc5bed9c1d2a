import type { Clock } from "@paycron/core";
import type { DunningFinalAction, Subscription, Tx } from "@paycron/db";
import { dunningExhausted } from "../notices/follow-ups.ts";
import { abortScheduledRuns } from "../runs/abort-scheduled-runs.ts";

/**
 * What an organization does when the ladder is exhausted: the invoice becomes `uncollectible`,
 * and the subscription is canceled for non-payment (its scheduled runs aborted, so nothing is
 * ever charged again: invariant 9), marked `unpaid`, or left `past_due`. Either way it no longer
 * advances into new periods until someone pays.
 */
export async function applyFinalAction(
  tx: Tx,
  input: { subscription: Pick<Subscription, "id" | "status">; invoiceId: string; finalAction: DunningFinalAction; now: Date; clock: Clock },
): Promise<void> {
  const { subscription, now } = input;
  const marked = await tx
    .updateTable("invoices")
    .set({ status: "uncollectible", updated_at: now })
    .where("id", "=", input.invoiceId)
    .where("status", "=", "open")
    .executeTakeFirst();
  let canceled = false;
  if (input.finalAction === "cancel") {
    const ended = await tx
      .updateTable("subscriptions")
      .set({ status: "canceled", canceled_at: now, ended_at: now, cancellation_reason: "non_payment", updated_at: now })
      .where("id", "=", subscription.id)
      .where("status", "not in", ["canceled", "incomplete_expired"])
      .executeTakeFirst();
    canceled = ended.numUpdatedRows > 0n;
    await abortScheduledRuns(tx, { subscriptionId: subscription.id, code: "subscription_canceled", now });
  } else {
    const status = input.finalAction === "mark_unpaid" ? "unpaid" : "past_due";
    await tx.updateTable("subscriptions").set({ status, updated_at: now }).where("id", "=", subscription.id).where("status", "in", ["active", "past_due"]).execute();
  }
  if (marked.numUpdatedRows > 0n) await dunningExhausted(tx, input.clock, { invoiceId: input.invoiceId, canceledSubscriptionId: canceled ? subscription.id : null });
}
