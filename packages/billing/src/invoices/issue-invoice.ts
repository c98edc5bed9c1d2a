import type { Invoice, InvoiceLineItem, Tx } from "@paycron/db";
import { periodNotFound, requirePeriodId } from "./billing-period-id.ts";
import { takeInvoiceNumber } from "./invoice-number.ts";
import { computePeriodCharges } from "./period-charges.ts";

export interface IssuePeriodInvoiceInput {
  billingPeriodId: string;
  now: Date;
}

export interface IssuePeriodInvoiceResult {
  invoice: Invoice;
  /** In a stable order: subscription lines, then usage, each by period and description. */
  lines: InvoiceLineItem[];
  /** False when the period already had its invoice, which is returned as it is. */
  created: boolean;
}

/**
 * The invoice of a billing period, issued once, in the caller's transaction: its charges
 * (computePeriodCharges), the organization's next gap-free number, the invoice (`open`, due now)
 * and its line items. A period already invoiced returns its invoice (`created: false`).
 *
 * The period's row is locked first: concurrent issuers of one period queue on it, and the later
 * ones find the invoice and never take a number (which, held until they roll back, would stall
 * every other invoice of the organization; and were it committed, leave a gap). The unique
 * billing_period_id backs this up. The number is taken last, so the organization's row is locked
 * for as little of the transaction as possible.
 *
 * A total of 0 is issued `paid` (paid_at = now, nothing due): there is nothing to collect, so no
 * Stripe call must ever be made for it.
 */
export async function issuePeriodInvoice(tx: Tx, input: IssuePeriodInvoiceInput): Promise<IssuePeriodInvoiceResult> {
  const { billingPeriodId, now } = input;
  requirePeriodId(billingPeriodId);
  const period = await tx.selectFrom("billing_periods").select("id").where("id", "=", billingPeriodId).forUpdate().executeTakeFirst();
  if (!period) throw periodNotFound(billingPeriodId);

  const existing = await tx.selectFrom("invoices").selectAll().where("billing_period_id", "=", billingPeriodId).executeTakeFirst();
  if (existing) {
    const lines = await tx
      .selectFrom("invoice_line_items")
      .selectAll()
      .where("invoice_id", "=", existing.id)
      .orderBy("kind")
      .orderBy("period_start")
      .orderBy("description")
      .orderBy("id")
      .execute();
    return { invoice: existing, lines, created: false };
  }

  const charges = await computePeriodCharges(tx, { billingPeriodId });
  const number = await takeInvoiceNumber(tx, charges.organizationId);
  const total = charges.subtotal;
  const settled = total === 0;
  const invoice = await tx
    .insertInto("invoices")
    .values({
      organization_id: charges.organizationId,
      customer_id: charges.customerId,
      subscription_id: charges.subscriptionId,
      billing_period_id: billingPeriodId,
      number,
      status: settled ? "paid" : "open",
      currency: charges.currency,
      subtotal: charges.subtotal,
      discount: 0,
      tax: 0,
      total,
      amount_paid: 0,
      amount_due: total,
      issued_at: now,
      due_at: now,
      paid_at: settled ? now : null,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();

  const lines =
    charges.lines.length === 0
      ? []
      : await tx
          .insertInto("invoice_line_items")
          .values(
            charges.lines.map((line) => ({
              invoice_id: invoice.id,
              kind: line.kind,
              description: line.description,
              quantity: line.quantity,
              unit_amount: line.unitAmount,
              amount: line.amount,
              period_start: line.periodStart,
              period_end: line.periodEnd,
              price_id: line.priceId,
              created_at: now,
            })),
          )
          .returningAll()
          .execute();
  return { invoice, lines: lines.sort(compareLines), created: true };
}

/** The order the existing-invoice query uses, so a repeated call returns the same list. */
function compareLines(a: InvoiceLineItem, b: InvoiceLineItem): number {
  return (
    compare(a.kind, b.kind) ||
    (a.period_start?.getTime() ?? 0) - (b.period_start?.getTime() ?? 0) ||
    compare(a.description, b.description) ||
    compare(a.id, b.id)
  );
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
