/*
 * Documents: invoice PDFs with @react-pdf/renderer (@paycron/pdf's renderInvoicePdf), against a
 * warm headless Chromium printing the same invoice as HTML to PDF, in the same run.
 *
 *   pnpm bench documents      (or: pnpm exec tsx bench/documents.bench.ts)
 *   BENCH_RUNS=3 BENCH_DOCS=200 BENCH_STRICT=1 ...
 *
 * The invoice is the sample of docs/images/invoice.png (three lines, discount, tax, paid, Latin
 * names with diacritics, Noto Sans embedded). Both sides render one document at a time, in this
 * process's event loop (Chromium's own work runs in its processes, on the other core).
 *
 * react-pdf: renderInvoicePdf(data) → Buffer: schema check, layout, fonts subset, PDF written.
 * Chromium (@sparticuz/chromium + playwright-core, launched before the timing): one page kept open
 * with the fonts loaded; per invoice the HTML is rendered with react-dom/server, swapped into the
 * page, and page.pdf() returns the PDF.
 *
 * Also timed, for information (not part of the floor): react-pdf on invoices that each go to a
 * different customer (support/varied-invoices.ts), whose text @paycron/pdf's shaping and subset
 * caches have not seen, as in a real billing run; the same invoice repeated finds all of it cached.
 *
 * Emails: @paycron/email's renderEmail of the payment-receipt template with its sample props
 * (en-US, UTC), to subject, HTML and plain text, one at a time; BENCH_DOCS of them per round,
 * after the two PDF sides.
 *
 * Each side warms up (BENCH_WARMUP documents, not timed), then each round times BENCH_DOCS
 * documents in a row; rounds alternate which PDF side goes first. Reported: ms per PDF and PDFs
 * per second, median of BENCH_RUNS rounds, the PDF sizes, and emails per second (median of the
 * rounds). Floor (issue 10): ≤ 25 ms per invoice PDF and faster than Chromium; BENCH_STRICT=1
 * exits 2 when it fails.
 */
import { renderEmail, templates } from "@paycron/email";
import { renderInvoicePdf } from "@paycron/pdf";
import { invoiceHtml, sampleInvoice, startChromiumPrinter } from "@paycron/pdf/testing";
import { machineLines } from "./support/machine.ts";
import { variedInvoice } from "./support/varied-invoices.ts";
import { median, RUNS } from "./support/stats.ts";

const DOCS = Number(process.env.BENCH_DOCS ?? 200);
const WARM_UP = Number(process.env.BENCH_WARMUP ?? 50);
const FLOOR_MS = 25;

const data = sampleInvoice();
const chromium = await startChromiumPrinter();
let nextCustomer = 0;

const sides = {
  "react-pdf": () => renderInvoicePdf(data),
  chromium: () => chromium.print(invoiceHtml(data)),
  "react-pdf, a new customer each": () => renderInvoicePdf(variedInvoice(nextCustomer++)),
} as const;
type Side = keyof typeof sides;

const receipt = templates["payment-receipt"].previewProps;
const renderReceiptEmail = () => renderEmail("payment-receipt", receipt, { locale: "en-US", timeZone: "UTC" });

/** Emails rendered per second over `n` rendered one after another. */
async function emailsPerSecond(n: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await renderReceiptEmail();
  return n / ((performance.now() - t0) / 1000);
}

/** ms per document over `n` documents rendered one after another. */
async function measure(side: Side, n: number): Promise<{ msPerDoc: number; bytes: number }> {
  const render = sides[side];
  let bytes = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) bytes = (await render()).length;
  return { msPerDoc: (performance.now() - t0) / n, bytes };
}

try {
  console.log(machineLines().join("\n"));
  console.log(`Chromium ${chromium.version}; ${DOCS} invoices per round, ${RUNS} rounds, ${WARM_UP} warm-up each side\n`);
  for (const side of Object.keys(sides) as Side[]) await measure(side, WARM_UP);
  await emailsPerSecond(WARM_UP);

  const results: Record<Side, number[]> = { "react-pdf": [], chromium: [], "react-pdf, a new customer each": [] };
  const sizes: Record<Side, number> = { "react-pdf": 0, chromium: 0, "react-pdf, a new customer each": 0 };
  const emails: number[] = [];
  for (let round = 0; round < RUNS; round++) {
    const order: Side[] = round % 2 === 0 ? ["react-pdf", "chromium"] : ["chromium", "react-pdf"];
    order.push("react-pdf, a new customer each");
    for (const side of order) {
      const { msPerDoc, bytes } = await measure(side, DOCS);
      results[side].push(msPerDoc);
      sizes[side] = bytes;
      console.log(`round ${round + 1} ${side.padEnd(30)} ${msPerDoc.toFixed(2)} ms/PDF`);
    }
    emails.push(await emailsPerSecond(DOCS));
    console.log(`round ${round + 1} ${"emails".padEnd(30)} ${emails.at(-1)!.toFixed(0)} emails/s`);
  }

  console.log(`\n${"side".padEnd(30)} ms/PDF (median)  PDFs/s   PDF size`);
  for (const side of Object.keys(sides) as Side[]) {
    const ms = median(results[side]);
    console.log(`${side.padEnd(30)} ${ms.toFixed(2).padStart(15)}  ${(1000 / ms).toFixed(0).padStart(6)}   ${(sizes[side] / 1024).toFixed(1)} KiB`);
  }
  const { html, text } = await renderReceiptEmail();
  console.log(`\nemails (payment-receipt → HTML ${(html.length / 1024).toFixed(1)} KiB, text ${(text.length / 1024).toFixed(1)} KiB): ${median(emails).toFixed(0)} emails/s (median)`);
  const ours = median(results["react-pdf"]);
  const theirs = median(results.chromium);
  const ok = ours <= FLOOR_MS && ours < theirs;
  console.log(`\nfloor: ≤ ${FLOOR_MS} ms per invoice PDF and faster than Chromium: ${ok ? "met" : "NOT met"} (${ours.toFixed(2)} ms, ${(theirs / ours).toFixed(2)}× Chromium's speed)`);
  if (!ok && process.env.BENCH_STRICT === "1") process.exitCode = 2;
} finally {
  await chromium.close();
}
