/*
 * The bench's way in (bench/documents.bench.ts). The root package.json does not depend on
 * @paycron/pdf, so the bench cannot import it by name; once it does ("@paycron/pdf":
 * "workspace:*" in the root's devDependencies), the bench imports "@paycron/pdf" and
 * "@paycron/pdf/testing" and this file goes.
 */
export { renderInvoicePdf } from "../src/index.ts";
export { invoiceHtml, sampleInvoice, startChromiumPrinter } from "../src/testing/index.ts";
