/*
 * `pnpm --filter @paycron/pdf render:png`: the sample invoice and its receipt as PNGs in
 * docs/images (invoice.png, receipt.png), so a reader sees the documents without rendering them.
 * Run it after changing the layout and commit the images. Pass a directory to write elsewhere.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { renderInvoicePdf, renderReceiptPdf } from "../render.tsx";
import { pdfPageToPng } from "./pdf-to-png.ts";
import { sampleInvoice } from "./sample-invoices.ts";

const out = resolve(process.argv[2] ?? fileURLToPath(new URL("../../../../docs/images", import.meta.url)));
mkdirSync(out, { recursive: true });
const data = sampleInvoice();
for (const [name, pdf] of [
  ["invoice", await renderInvoicePdf(data)],
  ["receipt", await renderReceiptPdf(data)],
] as const) {
  const file = resolve(out, `${name}.png`);
  writeFileSync(file, await pdfPageToPng(pdf));
  console.log(`wrote ${file}`);
}
