import { enqueue } from "@paycron/runtime";
import type { Clock, Logger } from "@paycron/core";
import type { BillingRun, Invoice, Subscription, Tx } from "@paycron/db";
import { paymentFailedWithRetry } from "../notices/follow-ups.ts";
import { billingRunTaskKey } from "../runs/billing-run-key.ts";
import { applyFinalAction } from "./final-action.ts";

export const INCOMPLETE_EXPIRY_MS = 23 * 3_600_000;
const DAY_MS = 86_400_000;

export interface AfterFailedAttemptInput {
  subscription: Subscription;
  run: BillingRun;
  invoice: Invoice;
  /** The payment that failed, when there is one: the customer and the organization are told of it. */
  paymentId?: string;
  now: Date;
  clock: Clock;
  logger: Logger;
}

/**
 * A run's payment has failed for good, in the transaction that recorded it (subscription locked).
 * - A first payment (subscription `incomplete`): no ladder; the subscription expires 23 hours
 *   after sign-up unless paid (a new card retries it, see retryAfterNewPaymentMethod).
 * - A renewal: the organization's ladder (`dunning_retry_days`, stored as data) decides. While it
 *   has steps left, the next attempt is a new run `days` later, on the backup payment method when
 *   the one that failed was the default, and the subscription is `past_due` (which stops its
 *   periods from advancing into new charges). After the last step, the final action.
 */
export async function afterFailedAttempt(tx: Tx, input: AfterFailedAttemptInput): Promise<void> {
  const { subscription, run, now, clock } = input;
  if (subscription.status === "incomplete") {
    await enqueue(tx, "subscription-expire-incomplete", { subscriptionId: subscription.id }, {
      idempotencyKey: `expire-incomplete:${subscription.id}`,
      delay: new Date(subscription.created_at.getTime() + INCOMPLETE_EXPIRY_MS),
      clock,
    });
    return;
  }
  if (subscription.status !== "active" && subscription.status !== "past_due" && subscription.status !== "unpaid") return;

  const organization = await tx
    .selectFrom("organizations")
    .select(["dunning_retry_days", "dunning_final_action"])
    .where("id", "=", subscription.organization_id)
    .executeTakeFirstOrThrow();
  const ladder = organization.dunning_retry_days;
  if (run.attempt > ladder.length) {
    await applyFinalAction(tx, { subscription, invoiceId: input.invoice.id, finalAction: organization.dunning_final_action, now, clock });
    input.logger.info({ subscriptionId: subscription.id, attempts: run.attempt, finalAction: organization.dunning_final_action }, "dunning ladder exhausted");
    return;
  }
  const scheduledFor = new Date(now.getTime() + ladder[run.attempt - 1]! * DAY_MS);
  // Only the backup is fixed now. The default is left open (null) and read when the retry runs,
  // so a card the customer puts in place of the failed one before then is the one charged.
  const chosen = retryPaymentMethod(subscription, run.payment_method_id);
  const paymentMethodId = chosen === subscription.default_payment_method_id ? null : chosen;
  const retry = await scheduleRetry(tx, { subscription, run, scheduledFor, now, clock, paymentMethodId });
  if (retry && input.paymentId) await paymentFailedWithRetry(tx, clock, input.paymentId);
  if (subscription.status === "active") {
    await tx.updateTable("subscriptions").set({ status: "past_due", updated_at: now }).where("id", "=", subscription.id).execute();
  }
  await tx
    .updateTable("billing_periods")
    .set({ status: "past_due", updated_at: now })
    .where("id", "=", run.billing_period_id)
    .where("status", "in", ["upcoming", "active", "completed"])
    .execute();
}

/** The backup when the default failed; otherwise the subscription's default (which the customer may have replaced). */
export function retryPaymentMethod(subscription: Pick<Subscription, "default_payment_method_id" | "backup_payment_method_id">, failed: string | null): string | null {
  const { default_payment_method_id: main, backup_payment_method_id: backup } = subscription;
  if (backup && backup !== failed && (failed === main || main === null)) return backup;
  return main ?? backup;
}

export async function scheduleRetry(
  tx: Tx,
  input: { subscription: Subscription; run: Pick<BillingRun, "billing_period_id" | "attempt">; scheduledFor: Date; paymentMethodId: string | null; now: Date; clock: Clock },
): Promise<string | null> {
  const next = await tx
    .insertInto("billing_runs")
    .values({
      billing_period_id: input.run.billing_period_id,
      subscription_id: input.subscription.id,
      attempt: input.run.attempt + 1,
      scheduled_for: input.scheduledFor,
      status: "scheduled",
      payment_method_id: input.paymentMethodId,
      created_at: input.now,
      updated_at: input.now,
    })
    // Another transition scheduled it already (the attempt, or a live run of the period, exists).
    .onConflict((oc) => oc.doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!next) return null;
  await enqueue(tx, "billing-run", { billingRunId: next.id }, { idempotencyKey: billingRunTaskKey(next.id), delay: input.scheduledFor, clock: input.clock });
  return next.id;
}
