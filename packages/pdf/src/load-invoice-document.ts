import type { Db } from "@paycron/db";
import { cardBrandName } from "./card-brand.ts";
import type { InvoiceDocumentData, InvoiceLogo } from "./document-data.ts";
import { PdfError } from "./errors.ts";

export interface LoadInvoiceDocumentOptions {
  /** Printed at the bottom of every page instead of the organization's `invoice_footer`. */
  footer?: string | null;
  logo?: InvoiceLogo | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The document data of an issued invoice, read in one snapshot of the database when `db` is a
 * transaction (the reads are independent otherwise): the invoice, its organization and customer,
 * its lines in the order the billing engine returns them (kind, period, description, id), and the
 * card of the payment that settled it. The logo, which the schema does not hold, comes from
 * `options`.
 */
export async function loadInvoiceDocument(db: Db, invoiceId: string, options: LoadInvoiceDocumentOptions = {}): Promise<InvoiceDocumentData> {
  if (!UUID.test(invoiceId)) throw notFound(invoiceId);
  const invoice = await db
    .selectFrom("invoices")
    .innerJoin("organizations", "organizations.id", "invoices.organization_id")
    .innerJoin("customers", "customers.id", "invoices.customer_id")
    .selectAll("invoices")
    .select([
      "organizations.name as organization_name",
      "organizations.timezone",
      "organizations.billing_email as organization_email",
      "organizations.address_lines as organization_address",
      "organizations.invoice_footer",
      "customers.name as customer_name",
      "customers.email",
      "customers.locale",
      "customers.address_lines as customer_address",
    ])
    .where("invoices.id", "=", invoiceId)
    .executeTakeFirst();
  if (!invoice) throw notFound(invoiceId);
  if (invoice.status === "draft" || invoice.number === null || invoice.issued_at === null) {
    throw new PdfError("invoice_not_issued", `invoice ${invoiceId} is a draft: it has no number and no document yet`, { details: { invoiceId } });
  }

  const [lines, card] = await Promise.all([
    db
      .selectFrom("invoice_line_items")
      .select(["description", "period_start", "period_end", "quantity", "unit_amount", "amount"])
      .where("invoice_id", "=", invoiceId)
      .orderBy("kind")
      .orderBy("period_start")
      .orderBy("description")
      .orderBy("id")
      .execute(),
    // The card that paid: the latest settled payment's (a refunded payment did pay, once).
    db
      .selectFrom("payments")
      .innerJoin("payment_methods", "payment_methods.id", "payments.payment_method_id")
      .select(["payment_methods.brand", "payment_methods.last4"])
      .where("payments.invoice_id", "=", invoiceId)
      .where("payments.status", "in", ["succeeded", "refunded"])
      .orderBy("payments.settled_at", "desc")
      .orderBy("payments.id", "desc")
      .executeTakeFirst(),
  ]);

  return {
    organization: { name: invoice.organization_name, addressLines: invoice.organization_address, email: invoice.organization_email, logo: options.logo ?? null },
    invoiceNumber: invoice.number,
    status: invoice.status,
    issuedAt: invoice.issued_at,
    dueAt: invoice.due_at,
    paidAt: invoice.paid_at,
    voidedAt: invoice.voided_at,
    billTo: { name: invoice.customer_name, email: invoice.email, addressLines: invoice.customer_address },
    lines: lines.map((line) => ({
      description: line.description,
      periodStart: line.period_start,
      periodEnd: line.period_end,
      quantity: line.quantity,
      unitAmount: line.unit_amount,
      amount: line.amount,
    })),
    subtotal: invoice.subtotal,
    discount: invoice.discount,
    tax: invoice.tax,
    total: invoice.total,
    amountPaid: invoice.amount_paid,
    amountRefunded: invoice.amount_refunded,
    amountDue: invoice.amount_due,
    // A bank debit has no brand or last 4 here: the line is left out rather than half printed.
    paymentMethod: card?.brand && card.last4 ? { brand: cardBrandName(card.brand), last4: card.last4 } : null,
    footer: options.footer === undefined ? invoice.invoice_footer : options.footer,
    currency: invoice.currency,
    locale: invoice.locale,
    timeZone: invoice.timezone,
  };
}

function notFound(invoiceId: string): PdfError {
  return new PdfError("invoice_not_found", `no invoice has the id ${invoiceId}`, { details: { invoiceId } });
}
