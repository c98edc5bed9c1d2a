import { withTransaction } from "@paycron/db";
import { enqueue } from "@paycron/runtime";
import type { DocumentDeps } from "./deps.ts";
import { storeInvoiceDocument, type StoredDocument } from "./store-invoice-document.ts";

/**
 * A paid invoice's receipt, stored; then the customer's receipt email, which links it, is
 * enqueued (once per invoice, by its key): the email never points at a receipt not yet written.
 * A run that crashes between the two stores nothing new on its retry and enqueues the email then.
 * An invoice paid with nothing to pay (a trial's zero invoice) gets a receipt but no email.
 */
export async function storeReceipt(deps: DocumentDeps, input: { invoiceId: string }): Promise<StoredDocument & { emailEnqueued: boolean }> {
  const stored = await storeInvoiceDocument(deps, { invoiceId: input.invoiceId, kind: "receipt" });
  const { amount_paid } = await deps.db.selectFrom("invoices").select("amount_paid").where("id", "=", input.invoiceId).executeTakeFirstOrThrow();
  if (amount_paid <= 0) return { ...stored, emailEnqueued: false };
  await withTransaction(deps.db, (tx) =>
    enqueue(tx, "notifications-payment-receipt", { invoiceId: input.invoiceId }, { idempotencyKey: `payment-receipt:${input.invoiceId}`, clock: deps.clock }),
  );
  return { ...stored, emailEnqueued: true };
}
