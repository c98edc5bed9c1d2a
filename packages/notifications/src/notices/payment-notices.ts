import { documentLink, storeInvoiceDocument } from "@paycron/documents";
import { emailKey } from "@paycron/email";
import { MAX_SIGNED_URL_SECONDS } from "@paycron/storage";
import type { NotificationDeps } from "../deps.ts";
import { iso, skip, toCustomer, type NoticeOrSkip } from "../notice.ts";
import { customerRow, invoiceRow, organizationRow, paymentMethodOf, paymentRow } from "../rows.ts";
import { failedPaymentWithRetry } from "./failed-payment.ts";

/** A customer's payment went through: the receipt, linked for as long as a signed URL may live. */
export async function paymentReceipt(deps: NotificationDeps, payload: { invoiceId: string }): Promise<NoticeOrSkip<"payment-receipt">> {
  const invoice = await invoiceRow(deps.db, payload.invoiceId);
  if (invoice.status !== "paid" || !invoice.paid_at || !invoice.number) return skip(`invoice ${invoice.id} is ${invoice.status}, not paid`);
  // Enqueued once the receipt is stored; rendered here only if it went missing since.
  const receiptKey = invoice.receipt_object ?? (await storeInvoiceDocument(deps, { invoiceId: invoice.id, kind: "receipt" })).key;
  const [organization, customer, payment] = await Promise.all([
    organizationRow(deps.db, invoice.organization_id),
    customerRow(deps.db, invoice.customer_id),
    deps.db
      .selectFrom("payments")
      .select("payment_method_id")
      .where("invoice_id", "=", invoice.id)
      .where("status", "in", ["succeeded", "refunded"])
      .orderBy("settled_at", "desc")
      .executeTakeFirst(),
  ]);
  const receipt = await documentLink(deps.storage, receiptKey, MAX_SIGNED_URL_SECONDS);
  const paymentMethod = await paymentMethodOf(deps.db, payment?.payment_method_id ?? null);
  const { base, ...recipient } = toCustomer(organization, customer);
  return {
    template: "payment-receipt",
    ...recipient,
    idempotencyKey: emailKey("payment-receipt", invoice.id, "paid"),
    props: {
      ...base,
      amount: { amount: invoice.amount_paid, currency: invoice.currency },
      paidAt: iso(invoice.paid_at),
      invoiceNumber: invoice.number,
      ...(paymentMethod ? { paymentMethod } : {}),
      receiptUrl: receipt.url,
    },
  };
}

/** A renewal payment failed and the ladder will try again: when, and where to change the card. */
export async function paymentFailed(deps: NotificationDeps, payload: { paymentId: string }): Promise<NoticeOrSkip<"payment-failed">> {
  const failed = await failedPaymentWithRetry(deps, payload.paymentId);
  if ("skip" in failed) return failed;
  const { payment, invoice, nextRetryAt } = failed;
  const [organization, customer] = await Promise.all([organizationRow(deps.db, invoice.organization_id), customerRow(deps.db, invoice.customer_id)]);
  const { base, ...recipient } = toCustomer(organization, customer);
  return {
    template: "payment-failed",
    ...recipient,
    idempotencyKey: emailKey("payment-failed", payment.id, "failed"),
    props: {
      ...base,
      amount: { amount: payment.amount, currency: payment.currency },
      invoiceNumber: invoice.number,
      nextRetryAt: iso(nextRetryAt),
      updatePaymentMethodUrl: deps.links.updatePaymentMethod(customer.id),
    },
  };
}

/** The customer's bank asks them to authenticate a payment (3-D Secure). */
export async function paymentActionRequired(deps: NotificationDeps, payload: { paymentId: string }): Promise<NoticeOrSkip<"payment-action-required">> {
  const payment = await paymentRow(deps.db, payload.paymentId);
  if (payment.status !== "requires_action") return skip(`payment ${payment.id} is ${payment.status}: no authentication pending`);
  const invoice = await invoiceRow(deps.db, payment.invoice_id);
  if (!invoice.number) return skip(`invoice ${invoice.id} has no number`);
  const [organization, customer] = await Promise.all([organizationRow(deps.db, invoice.organization_id), customerRow(deps.db, invoice.customer_id)]);
  const { base, ...recipient } = toCustomer(organization, customer);
  return {
    template: "payment-action-required",
    ...recipient,
    idempotencyKey: emailKey("payment-action-required", payment.id, "requires_action"),
    props: {
      ...base,
      amount: { amount: payment.amount, currency: payment.currency },
      invoiceNumber: invoice.number,
      authenticateUrl: deps.links.authenticatePayment(payment.id),
    },
  };
}
