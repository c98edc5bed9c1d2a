import { describe, expect, it } from "vitest";
import { isDomainError } from "@paycron/core";
import type { Db, NewInvoice } from "@paycron/db";
import { createCustomer, createOrganization, createPaymentMethod, useTestDb } from "@paycron/db/testing";
import { loadInvoiceDocument, renderInvoicePdf } from "../src/index.ts";
import { pdfText } from "./pdf-text.ts";

const t = useTestDb();
const d = (iso: string) => new Date(iso);

/** An issued invoice with two lines, as the billing engine writes one, and whatever `invoice` overrides. */
async function issuedInvoice(db: Db, invoice: Partial<NewInvoice> = {}) {
  const organization = await createOrganization(db, { name: "Fjordline Software AS", timezone: "Asia/Tokyo", invoice_prefix: "FJORD" });
  const customer = await createCustomer(db, { organization_id: organization.id, name: "山田 太郎", email: "taro@example.test", locale: "ja-JP" });
  const row = await db
    .insertInto("invoices")
    .values({
      organization_id: organization.id,
      customer_id: customer.id,
      number: "FJORD-000007",
      status: "open",
      currency: "JPY",
      subtotal: 10_300,
      discount: 300,
      tax: 1000,
      total: 11_000,
      amount_paid: 0,
      amount_due: 11_000,
      issued_at: d("2027-02-28T15:30:00Z"), // 00:30 on 1 March in Tokyo
      due_at: d("2027-03-14T15:30:00Z"),
      ...invoice,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await db
    .insertInto("invoice_line_items")
    .values([
      { invoice_id: row.id, kind: "usage", description: "API calls: 1,500 (1,000 included)", quantity: 500, unit_amount: 1, amount: 500, period_start: d("2027-02-01T00:00:00Z"), period_end: d("2027-03-01T00:00:00Z") },
      { invoice_id: row.id, kind: "subscription", description: "Pro × 2", quantity: 2, unit_amount: 4900, amount: 9800, period_start: d("2027-03-01T00:00:00Z"), period_end: d("2027-04-01T00:00:00Z") },
    ])
    .execute();
  return { organization, customer, invoice: row };
}

describe("loadInvoiceDocument", () => {
  it("maps an issued invoice, its lines, customer and organization to the document's data", async () => {
    const { invoice } = await issuedInvoice(t.db);

    const data = await loadInvoiceDocument(t.db, invoice.id, { footer: "Thank you" });

    expect(data).toEqual({
      organization: { name: "Fjordline Software AS", addressLines: [], email: null, logo: null },
      invoiceNumber: "FJORD-000007",
      status: "open",
      issuedAt: d("2027-02-28T15:30:00Z"),
      dueAt: d("2027-03-14T15:30:00Z"),
      paidAt: null,
      voidedAt: null,
      billTo: { name: "山田 太郎", email: "taro@example.test", addressLines: [] },
      lines: [
        // The billing engine's order: subscription lines, then usage.
        { description: "Pro × 2", periodStart: d("2027-03-01T00:00:00Z"), periodEnd: d("2027-04-01T00:00:00Z"), quantity: 2, unitAmount: 4900, amount: 9800 },
        { description: "API calls: 1,500 (1,000 included)", periodStart: d("2027-02-01T00:00:00Z"), periodEnd: d("2027-03-01T00:00:00Z"), quantity: 500, unitAmount: 1, amount: 500 },
      ],
      subtotal: 10_300,
      discount: 300,
      tax: 1000,
      total: 11_000,
      amountPaid: 0,
      amountRefunded: 0,
      amountDue: 11_000,
      paymentMethod: null,
      footer: "Thank you",
      currency: "JPY",
      locale: "ja-JP",
      timeZone: "Asia/Tokyo",
    });
    const text = await pdfText(await renderInvoicePdf(data));
    expect(text).toContain("Date of issue 2027/03/01");
    expect(text).toContain("Total ￥11,000");
  });

  it("names the card of the payment that settled a paid invoice", async () => {
    const { invoice, customer } = await issuedInvoice(t.db, { status: "paid", amount_paid: 11_000, amount_due: 0, paid_at: d("2027-03-01T00:00:00Z") });
    const failed = await createPaymentMethod(t.db, { customer_id: customer.id, brand: "mastercard", last4: "4444", is_default: false });
    const paid = await createPaymentMethod(t.db, { customer_id: customer.id, brand: "visa", last4: "4242" });
    await t.db
      .insertInto("payments")
      .values([
        { invoice_id: invoice.id, customer_id: customer.id, payment_method_id: failed.id, amount: 11_000, currency: "JPY", status: "failed" },
        { invoice_id: invoice.id, customer_id: customer.id, payment_method_id: paid.id, amount: 11_000, currency: "JPY", status: "succeeded", settled_at: d("2027-03-01T00:00:00Z") },
      ])
      .execute();

    const data = await loadInvoiceDocument(t.db, invoice.id);

    expect(data.paymentMethod).toEqual({ brand: "Visa", last4: "4242" });
    expect(data.status).toBe("paid");
    expect(data.paidAt).toEqual(d("2027-03-01T00:00:00Z"));
    expect(await pdfText(await renderInvoicePdf(data))).toContain("PAID");
  });

  it("refuses a draft, which has no number yet", async () => {
    const { invoice } = await issuedInvoice(t.db, { status: "draft", number: null, issued_at: null });
    const error = await loadInvoiceDocument(t.db, invoice.id).catch((e: unknown) => e);
    expect(isDomainError(error, "invoice_not_issued")).toBe(true);
  });

  it.each(["00000000-0000-4000-8000-000000000000", "not-a-uuid"])("refuses an id no invoice has (%s)", async (id) => {
    const error = await loadInvoiceDocument(t.db, id).catch((e: unknown) => e);
    expect(isDomainError(error, "invoice_not_found")).toBe(true);
  });
});
