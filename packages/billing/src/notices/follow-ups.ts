import type { Clock } from "@paycron/core";
import type { Tx } from "@paycron/db";
import { enqueueMany, type EnqueueItem } from "@paycron/runtime";

/*
 * The documents and emails a billing change calls for, enqueued in the transaction that made the
 * change (so a rollback sends nothing, and a commit always has them), never sent from it. Each
 * key names the occurrence: the same change seen twice (a redelivered webhook, a replayed run)
 * adds nothing, and the email tasks send each occurrence once even past the key's lifetime.
 */

function item<Id extends EnqueueItem["taskId"]>(taskId: Id, payload: EnqueueItem<Id>["payload"], idempotencyKey: string): EnqueueItem {
  return { taskId, payload, options: { idempotencyKey } } as EnqueueItem;
}

/**
 * A minute after an invoice is issued its PDF is rendered: most are paid by their billing run
 * within seconds, and the payment's own render (of the PAID version) then leaves this run nothing
 * to do, instead of rendering a version already superseded.
 */
export const ISSUED_PDF_DELAY_MS = 60_000;

/** Invoices just issued: each one's PDF. */
export async function invoicesIssued(tx: Tx, clock: Clock, invoiceIds: readonly string[]): Promise<void> {
  const delay = new Date(clock.now().getTime() + ISSUED_PDF_DELAY_MS);
  await enqueueMany(
    tx,
    clock,
    invoiceIds.map((invoiceId) => ({ taskId: "documents-invoice-pdf", payload: { invoiceId }, options: { idempotencyKey: `invoice-pdf:${invoiceId}:issued`, delay } })),
  );
}

/**
 * An invoice paid in full: its PDF again (now marked PAID), its receipt (whose task then emails
 * it) and, when money moved, the organization's notice. A subscription that was waiting on its
 * first payment has started: its confirmation too.
 */
export async function invoicePaid(tx: Tx, clock: Clock, input: { invoiceId: string; total: number; startedSubscriptionId: string | null }): Promise<void> {
  const { invoiceId } = input;
  await enqueueMany(tx, clock, [
    item("documents-invoice-pdf", { invoiceId }, `invoice-pdf:${invoiceId}:paid`),
    item("documents-receipt-pdf", { invoiceId }, `receipt-pdf:${invoiceId}`),
    ...(input.total > 0 ? [item("notifications-org-payment-succeeded", { invoiceId }, `org-payment-succeeded:${invoiceId}`)] : []),
    ...(input.startedSubscriptionId ? [subscriptionStarted(input.startedSubscriptionId)] : []),
  ]);
}

export function subscriptionStarted(subscriptionId: string): EnqueueItem {
  return item("notifications-subscription-created", { subscriptionId }, `subscription-created:${subscriptionId}`);
}

/** A renewal attempt failed and the ladder scheduled another: the customer and the organization are told. */
export async function paymentFailedWithRetry(tx: Tx, clock: Clock, paymentId: string): Promise<void> {
  await enqueueMany(tx, clock, [
    item("notifications-payment-failed", { paymentId }, `payment-failed:${paymentId}`),
    item("notifications-org-payment-failed", { paymentId }, `org-payment-failed:${paymentId}`),
  ]);
}

/** The ladder is exhausted: the organization is told; a subscription the final action canceled, its customer too. */
export async function dunningExhausted(tx: Tx, clock: Clock, input: { invoiceId: string; canceledSubscriptionId: string | null }): Promise<void> {
  await enqueueMany(tx, clock, [
    item("documents-invoice-pdf", { invoiceId: input.invoiceId }, `invoice-pdf:${input.invoiceId}:uncollectible`),
    item("notifications-org-dunning-exhausted", { invoiceId: input.invoiceId }, `org-dunning-exhausted:${input.invoiceId}`),
    ...(input.canceledSubscriptionId
      ? [item("notifications-subscription-canceled", { subscriptionId: input.canceledSubscriptionId }, `subscription-canceled:${input.canceledSubscriptionId}`)]
      : []),
  ]);
}

/** The customer's bank wants them to authenticate a payment. */
export async function paymentNeedsAction(tx: Tx, clock: Clock, paymentId: string): Promise<void> {
  await enqueueMany(tx, clock, [item("notifications-payment-action-required", { paymentId }, `payment-action-required:${paymentId}`)]);
}

/** A customer disputed a payment: the organization has evidence to submit by a deadline. */
export async function disputeOpened(tx: Tx, clock: Clock, payload: EnqueueItem<"notifications-org-dispute-opened">["payload"]): Promise<void> {
  await enqueueMany(tx, clock, [item("notifications-org-dispute-opened", payload, `org-dispute-opened:${payload.disputeId}`)]);
}
