export { pdfPageToPng } from "./pdf-to-png.ts";
export { sampleEuroInvoice, sampleInvoice, sampleYenInvoice } from "./sample-invoices.ts";
