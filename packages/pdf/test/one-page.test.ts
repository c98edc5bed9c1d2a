import { renderToBuffer } from "@react-pdf/renderer";
import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { documentContext } from "../src/components/context.ts";
import { registerFonts } from "../src/fonts.ts";
import { renderInvoicePdf } from "../src/index.ts";
import { InvoiceDocument } from "../src/invoice-document.tsx";
import { fitsOnOnePage } from "../src/one-page.ts";
import { sampleInvoice } from "../src/testing/index.ts";
import { pdfPageCount, pdfText } from "./pdf-text.ts";

/*
 * renderPdf lays an invoice out as one unpaginated page first and trusts fitsOnOnePage to say
 * whether react-pdf's pagination would have split it. Across the line count where the table stops
 * fitting, the result must have as many pages as full pagination gives.
 */
const withLines = (n: number) => {
  const line = sampleInvoice().lines[0]!;
  return sampleInvoice({ lines: Array.from({ length: n }, (_, i) => ({ ...line, description: `Seat ${i + 1}` })) });
};

async function paginated(n: number): Promise<Buffer> {
  registerFonts();
  const element = createElement(InvoiceDocument, { ctx: documentContext(withLines(n)), pages: { mode: "numbered" } });
  return renderToBuffer(element as Parameters<typeof renderToBuffer>[0]);
}

describe("one unpaginated page first", () => {
  it("recognises react-pdf's layout, so invoices that fit take the one-page path", async () => {
    registerFonts();
    const layoutOf = async (n: number) => {
      let layout: unknown;
      const element = createElement(InvoiceDocument, { ctx: documentContext(withLines(n)), pages: { mode: "single", onLayout: (l) => (layout = l) } });
      await renderToBuffer(element as Parameters<typeof renderToBuffer>[0]);
      return layout;
    };
    expect(fitsOnOnePage(await layoutOf(3))).toBe(true);
    expect(fitsOnOnePage(await layoutOf(40))).toBe(false);
  });

  it("gives as many pages as full pagination, across the point where the lines stop fitting", async () => {
    const seen = new Set<number>();
    for (let n = 6; n <= 16; n++) {
      const pdf = await renderInvoicePdf(withLines(n));
      const pages = await pdfPageCount(pdf);
      expect(pages, `${n} lines`).toBe(await pdfPageCount(await paginated(n)));
      expect(await pdfText(pdf)).toContain(`Page ${pages} of ${pages}`);
      seen.add(pages);
    }
    expect([...seen].sort()).toEqual([1, 2]);
  });
});
