import { describe, expect, it } from "vitest";
import { isDomainError } from "@paycron/core";
import { renderReceiptPdf } from "../src/index.ts";
import { sampleInvoice, sampleYenInvoice } from "../src/testing/index.ts";
import { pdfText } from "./pdf-text.ts";

describe("renderReceiptPdf", () => {
  it("shows the amount paid, when, with what card, and the invoice it pays", async () => {
    const text = await pdfText(await renderReceiptPdf(sampleInvoice()));
    expect(text).toContain("Receipt\nReceipt for invoice FJORD-000042");
    expect(text).toContain("AMOUNT PAID\n$159.75");
    expect(text).toContain("Date paid Mar 1, 2027");
    expect(text).toContain("Payment method Visa ending in 4242");
    expect(text).toContain("Invoice number FJORD-000042");
    expect(text).toContain("Zoë Łukasz Ødegård");
    expect(text).not.toContain("PAID\nBILL TO"); // a receipt carries no status mark
  });

  it("dates the payment in the organization's zone and formats yen without decimals", async () => {
    const text = await pdfText(await renderReceiptPdf(sampleYenInvoice({ paidAt: new Date("2027-03-31T16:30:00Z") })));
    expect(text).toContain("Date paid 2027/04/01"); // 01:30 on 1 April in Tokyo
    expect(text).toContain("￥10,780");
    expect(text).toContain("山田 太郎");
  });

  it("refuses an invoice that has not been paid", async () => {
    const error = await renderReceiptPdf(sampleInvoice({ status: "open", paidAt: null })).catch((e: unknown) => e);
    expect(isDomainError(error, "receipt_without_payment")).toBe(true);
  });
});
