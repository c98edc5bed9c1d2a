import type { ReactElement } from "react";
import { renderToBuffer } from "@react-pdf/renderer";
import { documentContext } from "./components/context.ts";
import type { PageShellProps } from "./components/page-shell.tsx";
import { invoiceDocumentDataSchema, type InvoiceDocumentData } from "./document-data.ts";
import { PdfError } from "./errors.ts";
import { registerFonts } from "./fonts.ts";
import { InvoiceDocument } from "./invoice-document.tsx";
import { installPdfkitFontCache } from "./pdfkit-font-cache.ts";
import { ReceiptDocument } from "./receipt-document.tsx";

/** The invoice as a PDF. The same data gives the same bytes (no clock, no random, fixed metadata). */
export async function renderInvoicePdf(data: InvoiceDocumentData): Promise<Buffer> {
  const ctx = documentContext(parse(data));
  return renderPdf((pages) => <InvoiceDocument ctx={ctx} pages={pages} />);
}

/** The receipt of a paid invoice as a PDF; refused when the data has no `paidAt`. */
export async function renderReceiptPdf(data: InvoiceDocumentData): Promise<Buffer> {
  const ctx = documentContext(parse(data));
  const { paidAt } = ctx.data;
  if (!paidAt) throw new PdfError("receipt_without_payment", `invoice ${data.invoiceNumber} has no payment date: no receipt`);
  return renderPdf((pages) => <ReceiptDocument ctx={ctx} paidAt={paidAt} pages={pages} />);
}

/**
 * Most invoices fit on one page, and numbering pages costs react-pdf a second layout of each: the
 * document is rendered with "Page 1 of 1" as plain text, and only when that came out longer than
 * one page is it rendered again with real page numbers. Deterministic: the same data takes the
 * same path, so it still gives the same bytes.
 */
async function renderPdf(document: (pages: PageShellProps["pages"]) => ReactElement): Promise<Buffer> {
  registerFonts();
  installPdfkitFontCache();
  const single = await renderToBuffer(document("single") as Parameters<typeof renderToBuffer>[0]);
  if (pageCount(single) === 1) return single;
  return renderToBuffer(document("numbered") as Parameters<typeof renderToBuffer>[0]);
}

/** pdfkit writes each page object's dictionary uncompressed, with `/Type /Page` (the tree is `/Pages`). */
function pageCount(pdf: Buffer): number {
  return pdf.toString("latin1").match(/\/Type \/Page(?![A-Za-z])/g)?.length ?? 0;
}

function parse(data: InvoiceDocumentData): InvoiceDocumentData {
  const parsed = invoiceDocumentDataSchema.safeParse(data);
  if (!parsed.success) {
    throw new PdfError("invalid_document_data", `invalid document data: ${parsed.error.message}`, { details: { issues: parsed.error.issues } });
  }
  return parsed.data;
}
