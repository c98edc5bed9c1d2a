import { describe, expect, it } from "vitest";
import { renderInvoicePdf } from "../src/index.ts";
import { sampleEuroInvoice, sampleInvoice, sampleYenInvoice } from "../src/testing/index.ts";
import { asExtracted, pdfPageCount, pdfText, toUnicodeMaps } from "./pdf-text.ts";

/* Expected amounts and dates come from Intl itself, in the invoice's locale, currency and zone. */
const money = (locale: string, currency: string, major: number) => new Intl.NumberFormat(locale, { style: "currency", currency }).format(major);
const date = (locale: string, timeZone: string, iso: string) => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone }).format(new Date(iso));

describe("invoice text", () => {
  it("shows USD amounts, totals, dates and names as an en-US customer reads them", async () => {
    const text = await pdfText(await renderInvoicePdf(sampleInvoice()));
    const usd = (major: number) => money("en-US", "USD", major);

    expect(usd(147)).toBe("$147.00"); // the expectations below are this format, not the machine's
    for (const amount of [49, 147, 0.03, 7.5, -12.5, 142, -14.2, 31.95, 159.75, 0]) expect(text).toContain(usd(amount));
    expect(text).toMatch(/Subtotal \$142\.00\nDiscount -\$14\.20\nTax \$31\.95\nTotal \$159\.75\nAmount paid \$159\.75\nAmount due \$0\.00/);
    expect(text).toContain("Pro plan × 3 seats");
    expect(text).toContain("3 $49.00 $147.00");
    expect(text).toContain("250 $0.03 $7.50");
    expect(text).toContain(`Date of issue ${date("en-US", "Europe/Oslo", "2027-03-01T00:05:00Z")}`);
    expect(text).toContain("Date due Mar 15, 2027");
    expect(text).toContain("Mar 1 – Apr 1, 2027");
    expect(text).toContain("FJORD-000042");
    expect(text).toContain("Fjordline Software AS");
    expect(text).toContain("Zoë Łukasz Ødegård");
    expect(text).toContain("zoe.odegard@example.test");
    expect(text).toContain("Payment method: Visa ending in 4242");
    expect(text).toContain("Page 1 of 1");
  });

  it("shows EUR amounts as a fr-FR customer reads them, narrow no-break spaces included", async () => {
    const pdf = await renderInvoicePdf(sampleEuroInvoice());
    const text = await pdfText(pdf);
    const eur = money("fr-FR", "EUR", 1234.56);

    expect(eur).toMatch(/^1\u202f234,56\u00a0€$/); // Intl's own fr-FR format, which the PDF must carry
    expect(text).toContain(asExtracted(`Total ${eur}`));
    expect(text).toContain(asExtracted(`Montant dû ${eur}`));
    expect(text).toContain(asExtracted(`Montant payé ${money("fr-FR", "EUR", 0)}`));
    expect(text).toContain(`Date d’émission ${date("fr-FR", "Europe/Paris", "2027-03-01T00:05:00Z")}`);
    expect(text).toContain("1 mars – 1 avr. 2027");
    expect(text).toContain("Zoë Łukasz Ødegård");
    // pdf.js extracts every space as U+0020; the fonts' Unicode maps show what the glyphs are.
    const maps = toUnicodeMaps(pdf).join("\n");
    expect(maps).toContain("<202f>");
    expect(maps).toContain("<00a0>");
  });

  it("shows JPY without decimals, and a Japanese name, as a ja-JP customer reads them", async () => {
    const text = await pdfText(await renderInvoicePdf(sampleYenInvoice()));
    const jpy = (major: number) => money("ja-JP", "JPY", major);

    expect(jpy(4900)).toBe("￥4,900");
    for (const amount of [4900, 9800, 980, 10_780]) expect(text).toContain(jpy(amount));
    expect(text).toContain(`Total ${jpy(10_780)}`);
    expect(text).not.toMatch(/￥[\d,]+\.\d/);
    expect(text).toContain("山田 太郎");
    expect(text).toContain("東京都千代田区丸の内1-1-1");
    expect(text).toContain(`Date of issue ${date("ja-JP", "Asia/Tokyo", "2027-03-01T00:05:00Z")}`);
    expect(text).toContain("2027/03/01～2027/04/01");
  });

  it("dates every day in the organization's time zone", async () => {
    // 00:05 UTC on 1 March is still 28 February in Los Angeles.
    const text = await pdfText(await renderInvoicePdf(sampleInvoice({ timeZone: "America/Los_Angeles" })));
    expect(text).toContain("Date of issue Feb 28, 2027");
  });

  it("leaves out a discount and a tax of zero, and shows a refund", async () => {
    const text = await pdfText(
      await renderInvoicePdf(sampleInvoice({ subtotal: 14_200, discount: 0, tax: 0, total: 14_200, amountPaid: 14_200, amountRefunded: 4200, amountDue: 0 })),
    );
    expect(text).not.toContain("Discount");
    expect(text).not.toContain("Tax");
    expect(text).toContain("Refunded $42.00");
  });

  it("wraps many lines onto further pages, each with the table's header and the footer", async () => {
    const line = sampleInvoice().lines[0]!;
    const lines = Array.from({ length: 40 }, (_, i) => ({ ...line, description: `Seat ${i + 1}` }));
    const pdf = await renderInvoicePdf(sampleInvoice({ lines }));
    const text = await pdfText(pdf);
    const pages = await pdfPageCount(pdf);

    expect(pages).toBeGreaterThan(1);
    for (let n = 1; n <= pages; n++) expect(text).toContain(`Page ${n} of ${pages}`);
    expect(text.match(/DESCRIPTION QTY UNIT PRICE AMOUNT/g)).toHaveLength(pages);
    for (let n = 1; n <= 40; n++) expect(text).toContain(`Seat ${n}\n`);
  });
});
