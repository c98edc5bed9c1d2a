import { describe, expect, it } from "vitest";
import { renderInvoicePdf } from "../src/index.ts";
import { sampleEuroInvoice, sampleInvoice } from "../src/testing/index.ts";
import { pdfText } from "./pdf-text.ts";

/** The mark is its own text line right under the invoice number. */
const markOf = (text: string) => /FJORD-\d+\n(.*)\n/.exec(text)?.[1];

describe("status marks", () => {
  it.each([
    ["paid", "PAID"],
    ["void", "VOID"],
    ["uncollectible", "UNCOLLECTIBLE"],
  ] as const)("marks a %s invoice %s", async (status, mark) => {
    const text = await pdfText(await renderInvoicePdf(sampleInvoice({ status })));
    expect(markOf(text)).toBe(mark);
  });

  it("marks nothing on an open invoice", async () => {
    const text = await pdfText(await renderInvoicePdf(sampleInvoice({ status: "open", paidAt: null, amountPaid: 0, amountDue: 15_975 })));
    expect(markOf(text)).toBe("BILL TO");
    expect(text).not.toMatch(/PAID|VOID|UNCOLLECTIBLE/);
  });

  it("marks in the customer's language", async () => {
    const text = await pdfText(await renderInvoicePdf(sampleEuroInvoice({ status: "paid" })));
    expect(markOf(text)).toBe("PAYÉE");
  });
});
