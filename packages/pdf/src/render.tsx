import { renderToBuffer } from "@react-pdf/renderer";
import { documentContext } from "./components/context.ts";
import { invoiceDocumentDataSchema, type InvoiceDocumentData } from "./document-data.ts";
import { PdfError } from "./errors.ts";
import { registerFonts } from "./fonts.ts";
import { InvoiceDocument } from "./invoice-document.tsx";
import { ReceiptDocument } from "./receipt-document.tsx";

/** The invoice as a PDF. The same data gives the same bytes (no clock, no random, fixed metadata). */
export async function renderInvoicePdf(data: InvoiceDocumentData): Promise<Buffer> {
  const ctx = documentContext(parse(data));
  registerFonts();
  return renderToBuffer(<InvoiceDocument ctx={ctx} />);
}

/** The receipt of a paid invoice as a PDF; refused when the data has no `paidAt`. */
export async function renderReceiptPdf(data: InvoiceDocumentData): Promise<Buffer> {
  const ctx = documentContext(parse(data));
  const { paidAt } = ctx.data;
  if (!paidAt) throw new PdfError("receipt_without_payment", `invoice ${data.invoiceNumber} has no payment date: no receipt`);
  registerFonts();
  return renderToBuffer(<ReceiptDocument ctx={ctx} paidAt={paidAt} />);
}

function parse(data: InvoiceDocumentData): InvoiceDocumentData {
  const parsed = invoiceDocumentDataSchema.safeParse(data);
  if (!parsed.success) {
    throw new PdfError("invalid_document_data", `invalid document data: ${parsed.error.message}`, { details: { issues: parsed.error.issues } });
  }
  return parsed.data;
}
