import type { ReactElement } from "react";
import { renderToBuffer } from "@react-pdf/renderer";
import { documentContext } from "./components/context.ts";
import type { PageShellProps } from "./components/page-shell.tsx";
import { invoiceDocumentDataSchema, type InvoiceDocumentData } from "./document-data.ts";
import { PdfError } from "./errors.ts";
import { loadFonts } from "./fonts.ts";
import { InvoiceDocument } from "./invoice-document.tsx";
import { fitsOnOnePage } from "./one-page.ts";
import { shareDefaultFontMetrics } from "./pdfkit-default-font.ts";
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
 * Most invoices fit on one page, and react-pdf's pagination lays a page out twice even when
 * nothing moves, numbering pages a third time: the document is first rendered as one unpaginated
 * page with "Page 1 of 1" as text, and again, paginated with real numbers, only when its layout
 * ran past that page. Deterministic: the same data takes the same path, so it gives the same bytes.
 */
async function renderPdf(document: (pages: PageShellProps["pages"]) => ReactElement): Promise<Buffer> {
  await loadFonts();
  installPdfkitFontCache();
  shareDefaultFontMetrics();
  let layout: unknown;
  const single = await renderToBuffer(document({ mode: "single", onLayout: (laidOut) => (layout = laidOut) }) as DocumentElement);
  if (fitsOnOnePage(layout) === true) return single;
  return renderToBuffer(document({ mode: "numbered" }) as DocumentElement);
}

type DocumentElement = Parameters<typeof renderToBuffer>[0];

function parse(data: InvoiceDocumentData): InvoiceDocumentData {
  const parsed = invoiceDocumentDataSchema.safeParse(data);
  if (!parsed.success) {
    throw new PdfError("invalid_document_data", `invalid document data: ${parsed.error.message}`, { details: { issues: parsed.error.issues } });
  }
  return parsed.data;
}
