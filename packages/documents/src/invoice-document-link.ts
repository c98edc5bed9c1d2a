import type { SignedUrl } from "@paycron/storage";
import type { DocumentDeps } from "./deps.ts";
import { documentLink } from "./document-link.ts";
import type { DocumentKind } from "./document-key.ts";
import { DocumentError } from "./errors.ts";
import { storeInvoiceDocument } from "./store-invoice-document.ts";

export interface InvoiceDocumentLinkInput {
  /** The invoice number as printed (INV-000042). */
  number: string;
  /** Needed only when several organizations have an invoice with this number. */
  organizationId?: string;
  kind: DocumentKind;
  expiresInSeconds?: number;
}

export interface InvoiceDocumentLink extends SignedUrl {
  invoiceId: string;
  key: string;
  /** True when the document had not been stored yet (its task had not run) and was rendered now. */
  rendered: boolean;
}

/**
 * A short-lived signed URL to an invoice's PDF or receipt, found by its number (what
 * `paycron invoice pdf` prints and the dashboard links). A document not stored yet is rendered
 * and stored now, exactly as its task would, so asking never waits on the queue.
 */
export async function invoiceDocumentLink(deps: DocumentDeps, input: InvoiceDocumentLinkInput): Promise<InvoiceDocumentLink> {
  let query = deps.db.selectFrom("invoices").select(["id", "organization_id", "status", "pdf_object", "receipt_object"]).where("number", "=", input.number);
  if (input.organizationId) query = query.where("organization_id", "=", input.organizationId);
  const found = await query.limit(2).execute();
  if (found.length === 0) {
    throw new DocumentError("invoice_number_not_found", `no invoice has the number ${input.number}${input.organizationId ? ` in organization ${input.organizationId}` : ""}`);
  }
  if (found.length > 1) {
    throw new DocumentError("invoice_number_ambiguous", `several organizations have an invoice ${input.number}: give the organization (${found.map((f) => f.organization_id).join(", ")})`);
  }
  const invoice = found[0]!;
  if (input.kind === "receipt" && invoice.status !== "paid") {
    throw new DocumentError("invoice_not_paid", `invoice ${input.number} is ${invoice.status}: a receipt exists once it is paid`);
  }
  const stored = input.kind === "invoice" ? invoice.pdf_object : invoice.receipt_object;
  const key = stored ?? (await storeInvoiceDocument(deps, { invoiceId: invoice.id, kind: input.kind })).key;
  const url = await documentLink(deps.storage, key, input.expiresInSeconds);
  return { ...url, invoiceId: invoice.id, key, rendered: stored === null };
}
