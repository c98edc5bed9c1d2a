import type { Invoice, Payment } from "@paycron/db";
import type { NotificationDeps } from "../deps.ts";
import { skip, type Skip } from "../notice.ts";
import { invoiceRow, nextAttemptAt, paymentRow } from "../rows.ts";

/**
 * A failed payment the ladder will try again, as both failure emails need it. The last failure
 * of a ladder is skipped here: org-dunning-exhausted tells it. So is one whose invoice got paid
 * (or voided) before the email went out.
 */
export async function failedPaymentWithRetry(deps: NotificationDeps, paymentId: string): Promise<{ payment: Payment; invoice: Invoice & { number: string }; nextRetryAt: Date } | Skip> {
  const payment = await paymentRow(deps.db, paymentId);
  if (payment.status !== "failed") return skip(`payment ${payment.id} is ${payment.status}, not failed`);
  const invoice = await invoiceRow(deps.db, payment.invoice_id);
  if (invoice.status !== "open" || !invoice.number) return skip(`invoice ${invoice.id} is ${invoice.status}: nothing left to collect`);
  const nextRetryAt = await nextAttemptAt(deps.db, payment);
  if (!nextRetryAt) return skip(`no further attempt is scheduled after payment ${payment.id}`);
  return { payment, invoice: { ...invoice, number: invoice.number }, nextRetryAt };
}
