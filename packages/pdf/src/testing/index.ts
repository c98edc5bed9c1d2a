export { startChromiumPrinter, type ChromiumPrinter } from "./chromium-printer.ts";
export { invoiceHtml } from "./invoice-html.tsx";
export { pdfPageToPng } from "./pdf-to-png.ts";
export { sampleEuroInvoice, sampleInvoice, sampleYenInvoice } from "./sample-invoices.ts";
