import type { InvoiceDocumentData } from "../document-data.ts";

/*
 * Invoices as the renderers receive them, for tests, the bench and the PNGs in docs/images.
 * Every date is explicit; the amounts add up (lines → subtotal − discount + tax = total;
 * total − paid − refunded = due), as the billing engine's invoices do.
 */

const d = (iso: string) => new Date(iso);

/** Paid, in USD for an en-US customer, with a credit line, a discount and tax: every row of the totals. */
export function sampleInvoice(overrides: Partial<InvoiceDocumentData> = {}): InvoiceDocumentData {
  return {
    organization: {
      name: "Fjordline Software AS",
      addressLines: ["Karl Johans gate 12", "0154 Oslo", "Norway"],
      email: "billing@fjordline.example",
      logo: null,
    },
    invoiceNumber: "FJORD-000042",
    status: "paid",
    issuedAt: d("2027-03-01T00:05:00Z"),
    dueAt: d("2027-03-15T00:05:00Z"),
    paidAt: d("2027-03-01T00:06:12Z"),
    voidedAt: null,
    billTo: {
      name: "Zoë Łukasz Ødegård",
      email: "zoe.odegard@example.test",
      addressLines: ["Ødegård Consulting", "221B Baker Street", "London NW1 6XE", "United Kingdom"],
    },
    lines: [
      { description: "Pro plan × 3 seats", periodStart: d("2027-03-01T00:00:00Z"), periodEnd: d("2027-04-01T00:00:00Z"), quantity: 3, unitAmount: 4900, amount: 14_700 },
      { description: "API calls: 1,250 (1,000 included)", periodStart: d("2027-02-01T00:00:00Z"), periodEnd: d("2027-03-01T00:00:00Z"), quantity: 250, unitAmount: 3, amount: 750 },
      { description: "Unused time on Starter plan (credit)", periodStart: d("2027-02-20T00:00:00Z"), periodEnd: d("2027-03-01T00:00:00Z"), quantity: 1, unitAmount: -1250, amount: -1250 },
    ],
    subtotal: 14_200,
    discount: 1420,
    tax: 3195,
    total: 15_975,
    amountPaid: 15_975,
    amountRefunded: 0,
    amountDue: 0,
    paymentMethod: { brand: "Visa", last4: "4242" },
    footer: "Fjordline Software AS · Org. no. 923 456 789 MVA · Questions? billing@fjordline.example",
    currency: "USD",
    locale: "en-US",
    timeZone: "Europe/Oslo",
    ...overrides,
  };
}

/** Open, in EUR for a fr-FR customer: 1 234,56 € due, with narrow no-break spaces. */
export function sampleEuroInvoice(overrides: Partial<InvoiceDocumentData> = {}): InvoiceDocumentData {
  return sampleInvoice({
    invoiceNumber: "FJORD-000043",
    status: "open",
    paidAt: null,
    lines: [{ description: "Licence Entreprise", periodStart: d("2027-03-01T00:00:00Z"), periodEnd: d("2027-04-01T00:00:00Z"), quantity: 1, unitAmount: 123_456, amount: 123_456 }],
    subtotal: 123_456,
    discount: 0,
    tax: 0,
    total: 123_456,
    amountPaid: 0,
    amountDue: 123_456,
    paymentMethod: null,
    currency: "EUR",
    locale: "fr-FR",
    timeZone: "Europe/Paris",
    ...overrides,
  });
}

/** Paid, in JPY (no minor unit) for a ja-JP customer named 山田 太郎, with 10 % consumption tax. */
export function sampleYenInvoice(overrides: Partial<InvoiceDocumentData> = {}): InvoiceDocumentData {
  return sampleInvoice({
    invoiceNumber: "FJORD-000044",
    billTo: { name: "山田 太郎", email: "taro.yamada@example.test", addressLines: ["東京都千代田区丸の内1-1-1"] },
    lines: [{ description: "プロプラン × 2", periodStart: d("2027-03-01T00:00:00Z"), periodEnd: d("2027-04-01T00:00:00Z"), quantity: 2, unitAmount: 4900, amount: 9800 }],
    subtotal: 9800,
    discount: 0,
    tax: 980,
    total: 10_780,
    amountPaid: 10_780,
    amountDue: 0,
    paymentMethod: { brand: "JCB", last4: "0505" },
    currency: "JPY",
    locale: "ja-JP",
    timeZone: "Asia/Tokyo",
    ...overrides,
  });
}
