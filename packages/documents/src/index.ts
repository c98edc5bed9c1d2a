export type { DocumentDeps } from "./deps.ts";
export { documentKey, type DocumentKind } from "./document-key.ts";
export { storeInvoiceDocument, type StoredDocument } from "./store-invoice-document.ts";
export { DOCUMENT_LINK_SECONDS, documentLink } from "./document-link.ts";
export { storeReceipt } from "./store-receipt.ts";
export { DocumentError, type DocumentErrorCode } from "./errors.ts";
export { invoiceDocumentLink, type InvoiceDocumentLink, type InvoiceDocumentLinkInput } from "./invoice-document-link.ts";
