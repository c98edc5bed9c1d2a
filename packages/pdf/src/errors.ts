import { DomainError } from "@paycron/core";

export type PdfErrorCode =
  /** The document data failed its schema; `details.issues` names the fields. Not retryable. */
  | "invalid_document_data"
  /** A receipt was asked for an invoice with no `paidAt`. Not retryable: pay it first. */
  | "receipt_without_payment"
  /** loadInvoiceDocument was given an id no invoice has. */
  | "invoice_not_found"
  /** The invoice is a draft: no number yet, so no document. Not retryable until it is issued. */
  | "invoice_not_issued";

export class PdfError extends DomainError<PdfErrorCode> {}
