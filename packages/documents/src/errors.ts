import { DomainError } from "@paycron/core";

export type DocumentErrorCode =
  /** No invoice has the number (in the organization, when one was given). */
  | "invoice_number_not_found"
  /** Several organizations have an invoice with the number: say which. */
  | "invoice_number_ambiguous"
  /** A receipt was asked for an invoice that is not paid. */
  | "invoice_not_paid";

export class DocumentError extends DomainError<DocumentErrorCode> {}
