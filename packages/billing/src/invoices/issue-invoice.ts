import type { Invoice, InvoiceLineItem, Tx } from "@paycron/db";
import { periodNotFound, requirePeriodId } from "./billing-period-id.ts";
import { takeInvoiceNumbers } from "./invoice-number.ts";
import { computePeriodCharges, type PeriodCharges } from "./period-charges.ts";

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
  const plan = await planPeriodInvoice(tx, input);
  if ("existing" in plan) return plan.existing;
  const [issued] = await writePeriodInvoices(tx, [plan], input.now);
  return issued!;
}

/** What issuing a period's invoice will write, or the invoice it already has. */
export type PeriodInvoicePlan = { existing: IssuePeriodInvoiceResult } | { billingPeriodId: string; charges: PeriodCharges };

/**
 * The first half of issuePeriodInvoice: locks the period and computes its charges, or finds its
 * invoice. Nothing is written and no number is taken, so a caller issuing many invoices plans them
 * all, then writes them together (writePeriodInvoices) and holds the organization's number lock
 * only for those writes.
 */
export async function planPeriodInvoice(tx: Tx, input: { billingPeriodId: string }): Promise<PeriodInvoicePlan> {
  const { billingPeriodId } = input;
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
    return { existing: { invoice: existing, lines, created: false } };
  }
  return { billingPeriodId, charges: await computePeriodCharges(tx, { billingPeriodId }) };
}

/**
 * The second half: the planned invoices with their numbers (one counter update per organization,
 * numbered in the order given) and lines, in three statements whatever their number. Results in
 * the order of `plans`.
 */
export async function writePeriodInvoices(
  tx: Tx,
  plans: ReadonlyArray<{ billingPeriodId: string; charges: PeriodCharges }>,
  now: Date,
): Promise<IssuePeriodInvoiceResult[]> {
  if (plans.length === 0) return [];
  const numbers = new Map<string, string[]>();
  for (const organizationId of [...new Set(plans.map((p) => p.charges.organizationId))].sort()) {
    numbers.set(organizationId, await takeInvoiceNumbers(tx, organizationId, plans.filter((p) => p.charges.organizationId === organizationId).length));
  }
  const invoices = await tx
    .insertInto("invoices")
    .values(
      plans.map(({ billingPeriodId, charges }) => {
        const total = charges.subtotal;
        const settled = total === 0;
        return {
          organization_id: charges.organizationId,
          customer_id: charges.customerId,
          subscription_id: charges.subscriptionId,
          billing_period_id: billingPeriodId,
          number: numbers.get(charges.organizationId)!.shift()!,
          status: settled ? ("paid" as const) : ("open" as const),
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
        };
      }),
    )
    .returningAll()
    .execute();
  const byPeriod = new Map(invoices.map((invoice) => [invoice.billing_period_id, invoice]));
  const lineRows = plans.flatMap(({ billingPeriodId, charges }) =>
    charges.lines.map((line) => ({
      invoice_id: byPeriod.get(billingPeriodId)!.id,
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
  );
  const lines = lineRows.length === 0 ? [] : await tx.insertInto("invoice_line_items").values(lineRows).returningAll().execute();
  const linesOf = new Map<string, InvoiceLineItem[]>();
  for (const line of lines) {
    const list = linesOf.get(line.invoice_id);
    if (list) list.push(line);
    else linesOf.set(line.invoice_id, [line]);
  }
  return plans.map(({ billingPeriodId }) => {
    const invoice = byPeriod.get(billingPeriodId)!;
    return { invoice, lines: (linesOf.get(invoice.id) ?? []).sort(compareLines), created: true };
  });
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
