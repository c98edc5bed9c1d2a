import { describe, expect, it } from "vitest";
import { formatMoney, renderEmail, templates } from "../src/index.ts";

/** Intl separates French thousands with a narrow no-break space (U+202F) and the symbol with a no-break space (U+00A0). */
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");

describe("formatMoney", () => {
  it("formats minor units with the currency's own number of digits", () => {
    expect(formatMoney(123456, "USD", "en-US")).toBe("$1,234.56");
    expect(plain(formatMoney(123456, "EUR", "fr-FR"))).toBe("1 234,56 €");
    expect(formatMoney(123456, "EUR", "en-US")).toBe("€1,234.56");
    // JPY has no minor unit: 1234 minor units are ¥1,234, not ¥12.34.
    expect(formatMoney(1234, "JPY", "en-US")).toBe("¥1,234");
    expect(plain(formatMoney(1234, "JPY", "fr-FR"))).toBe("1 234 JPY");
    // Three digits (Kuwaiti dinar): 1234 minor units are 1.234.
    expect(plain(formatMoney(1234, "KWD", "en-US"))).toBe("KWD 1.234");
  });

  it("keeps the sign of refunds and credits, and refuses fractions of a minor unit", () => {
    expect(formatMoney(-500, "USD", "en-US")).toBe("-$5.00");
    expect(() => formatMoney(12.5, "USD", "en-US")).toThrow(RangeError);
  });
});

describe("amounts in templates", () => {
  const receipt = templates["payment-receipt"].previewProps;
  const cases = [
    { currency: "USD", amount: 4900, en: "$49.00", fr: "49,00 $US" },
    { currency: "EUR", amount: 123456, en: "€1,234.56", fr: "1 234,56 €" },
    { currency: "JPY", amount: 5000, en: "¥5,000", fr: "5 000 JPY" },
  ];
  it.for(cases)("a receipt in $currency shows $en in English and $fr in French", async ({ currency, amount, en, fr }) => {
    const props = { ...receipt, amount: { amount, currency } };
    const english = await renderEmail("payment-receipt", props, { locale: "en-US" });
    const french = await renderEmail("payment-receipt", props, { locale: "fr-FR" });
    expect(english.subject).toContain(en);
    expect(english.text).toContain(en);
    expect(plain(french.subject)).toContain(fr);
    expect(plain(french.text)).toContain(fr);
  });
});
