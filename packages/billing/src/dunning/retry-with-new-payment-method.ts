import { enqueue } from "@paycron/runtime";
import type { Clock } from "@paycron/core";
import type { Tx } from "@paycron/db";
import { billingRunTaskKey } from "../runs/billing-run-key.ts";
import { scheduleRetry } from "./after-failed-attempt.ts";

/**
 * A customer who owes money has just saved a new default payment method: what they owe is retried
 * now, on it, instead of at the ladder's next date (Stripe's "retry when the payment method is
 * updated"). A pending retry is brought forward; an incomplete subscription, which has no ladder,
 * gets its retry here, which is how it can still become active within its 23 hours. Runs in the
 * transaction that made the method the default (the customer row is locked there).
 */
export async function retryWithNewPaymentMethod(tx: Tx, input: { customerId: string; now: Date; clock: Clock }): Promise<number> {
  const { now, clock } = input;
  const owed = await tx
    .selectFrom("subscriptions")
    .innerJoin("invoices", "invoices.subscription_id", "subscriptions.id")
    .selectAll("subscriptions")
    .select(["invoices.billing_period_id as owedPeriodId"])
    .where("subscriptions.customer_id", "=", input.customerId)
    .where("subscriptions.status", "in", ["incomplete", "past_due"])
    .where("invoices.status", "=", "open")
    .where("invoices.amount_due", ">", 0)
    .forUpdate("subscriptions")
    .execute();
  let retried = 0;
  for (const { owedPeriodId, ...subscription } of owed) {
    if (!owedPeriodId) continue;
    const runs = await tx.selectFrom("billing_runs").selectAll().where("billing_period_id", "=", owedPeriodId).orderBy("attempt", "desc").execute();
    const latest = runs[0];
    if (!latest) continue;
    if (latest.status === "scheduled") {
      await tx.updateTable("billing_runs").set({ scheduled_for: now, payment_method_id: null, updated_at: now }).where("id", "=", latest.id).where("status", "=", "scheduled").execute();
      await enqueue(tx, "billing-run", { billingRunId: latest.id }, { idempotencyKey: `${billingRunTaskKey(latest.id)}@${now.toISOString()}`, clock });
      retried += 1;
    } else if (latest.status === "failed" || latest.status === "aborted") {
      if (await scheduleRetry(tx, { subscription, run: latest, scheduledFor: now, paymentMethodId: null, now, clock })) retried += 1;
    }
  }
  return retried;
}
