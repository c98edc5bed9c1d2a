import { enqueue, enqueueMany } from "@paycron/runtime";
import type { Clock } from "@paycron/core";
import type { Subscription, Tx } from "@paycron/db";
import { invoicePaid } from "../notices/follow-ups.ts";
import { abortScheduledRuns } from "../runs/abort-scheduled-runs.ts";
import { billingRunTaskKey } from "../runs/billing-run-key.ts";

const REACTIVATED_BY_PAYMENT = ["incomplete", "past_due", "unpaid"] as const;

/**
 * An invoice has just been paid in full, in the transaction that paid it (the subscription row is
 * locked by the caller). Whatever was waiting on it ends: pending retries of its period are
 * aborted, the period is no longer past due, and a subscription held incomplete, past_due or
 * unpaid becomes active again, but only when no other invoice of it is still owed (a past_due
 * subscription is never flipped back while the ladder has something left to collect). An active
 * subscription whose period ended meanwhile is advanced at once instead of at the next hourly tick.
 */
export async function onInvoicePaid(tx: Tx, input: { invoiceId: string; subscription: Subscription; now: Date; clock: Clock }): Promise<void> {
  const { subscription, now } = input;
  // A zero invoice is issued paid already; any other is paid here.
  const invoice =
    (await tx
      .updateTable("invoices")
      .set({ status: "paid", paid_at: now, updated_at: now })
      .where("id", "=", input.invoiceId)
      .where("status", "in", ["draft", "open", "uncollectible"])
      .returning(["billing_period_id", "total"])
      .executeTakeFirst()) ?? (await tx.selectFrom("invoices").select(["billing_period_id", "total"]).where("id", "=", input.invoiceId).executeTakeFirstOrThrow());
  await invoicePaid(tx, input.clock, { invoiceId: input.invoiceId, total: invoice.total, startedSubscriptionId: subscription.status === "incomplete" ? subscription.id : null });
  if (!invoice.billing_period_id) return;

  await abortScheduledRuns(tx, { billingPeriodId: invoice.billing_period_id, code: "invoice_paid", now });
  await tx
    .updateTable("billing_periods")
    .set((eb) => ({ status: eb.case().when("ends_at", ">", now).then("active" as const).else("completed" as const).end(), updated_at: now }))
    .where("id", "=", invoice.billing_period_id)
    .where("status", "=", "past_due")
    .execute();

  if (!(REACTIVATED_BY_PAYMENT as readonly string[]).includes(subscription.status)) return;
  const owed = await tx
    .selectFrom("invoices")
    .select("id")
    .where("subscription_id", "=", subscription.id)
    .where("status", "=", "open")
    .where("amount_due", ">", 0)
    .executeTakeFirst();
  if (owed) return;
  await tx.updateTable("subscriptions").set({ status: "active", updated_at: now }).where("id", "=", subscription.id).execute();
  // Later periods' charges held while it was past due go ahead now.
  const held = await tx
    .selectFrom("billing_runs")
    .select("id")
    .where("subscription_id", "=", subscription.id)
    .where("status", "=", "scheduled")
    .where("scheduled_for", "<=", now)
    .execute();
  if (held.length > 0) {
    await enqueueMany(
      tx,
      input.clock,
      held.map((run) => ({ taskId: "billing-run" as const, payload: { billingRunId: run.id }, options: { idempotencyKey: `${billingRunTaskKey(run.id)}@resume:${now.toISOString()}` } })),
    );
  }
  if (subscription.current_period_end <= now) {
    await enqueue(tx, "subscription-advance", { subscriptionId: subscription.id }, {
      idempotencyKey: `after-payment:${subscription.id}@${subscription.current_period_end.toISOString()}`,
      clock: input.clock,
    });
  }
}
