import { describe, expect, it } from "vitest";
import { isDomainError } from "@paycron/core";
import { createFormatters, renderInvoicePdf } from "../src/index.ts";
import { sampleInvoice } from "../src/testing/index.ts";

describe("formatters", () => {
  it("takes each currency's minor unit from Intl: cents, none for yen, fils for dinars", () => {
    const money = (currency: string, minor: number) => createFormatters({ locale: "en-US", currency, timeZone: "UTC" }).money(minor);
    expect(money("USD", 123_456)).toBe("$1,234.56");
    expect(money("USD", -5)).toBe("-$0.05");
    expect(money("JPY", 4900)).toBe("¥4,900");
    expect(money("BHD", 1234)).toBe("BHD\u00a01.234");
  });

  it("formats amounts past 2^53 / 100 exactly, with no floating-point division", () => {
    const { money } = createFormatters({ locale: "en-US", currency: "USD", timeZone: "UTC" });
    expect(money(Number.MAX_SAFE_INTEGER)).toBe("$90,071,992,547,409.91");
  });
});

describe("document data", () => {
  it.each([
    ["an unknown currency", { currency: "XYZ" }],
    ["an unknown time zone", { timeZone: "Mars/Olympus" }],
    ["a fractional amount", { total: 12.5 }],
    ["a card number that is not 4 digits", { paymentMethod: { brand: "Visa", last4: "42" } }],
  ])("is refused with %s, naming the problem", async (_, override) => {
    const error = await renderInvoicePdf(sampleInvoice(override)).catch((e: unknown) => e);
    expect(isDomainError(error, "invalid_document_data")).toBe(true);
  });
});
