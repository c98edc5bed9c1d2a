export {
  invoiceDocumentDataSchema,
  type InvoiceDocumentData,
  type InvoiceDocumentStatus,
  type InvoiceLineItemData,
  type InvoiceLogo,
} from "./document-data.ts";
export { PdfError, type PdfErrorCode } from "./errors.ts";
export { createFormatters, type Formatters } from "./format.ts";
export { loadInvoiceDocument, type LoadInvoiceDocumentOptions } from "./load-invoice-document.ts";
export { renderInvoicePdf, renderReceiptPdf } from "./render.tsx";
