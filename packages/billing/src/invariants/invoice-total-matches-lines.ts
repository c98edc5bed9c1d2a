import { sql } from "kysely";
import type { ViolationQuery } from "./violation-query.ts";

/**
 * Invariant 3: an invoice's total is the sum of its line items, and a priced line's amount is the
 * exact product quantity × unit_amount (money columns are bigint: integer minor units by type).
 * One row per wrong invoice and one per wrong line.
 */
export const invoiceTotalMatchesLines: ViolationQuery = () => sql`
  select 'invoice ' || i.id || ': total ' || i.total || ', lines ' || coalesce(lines.amount, 0) as example
  from invoices i
  left join (select invoice_id, sum(amount) as amount from invoice_line_items group by invoice_id) lines
    on lines.invoice_id = i.id
  where i.total <> coalesce(lines.amount, 0)
  union all
  select 'line ' || l.id || ': ' || l.quantity || ' × ' || l.unit_amount || ' ≠ ' || l.amount
  from invoice_line_items l
  where l.kind in ('subscription', 'usage') and l.amount <> l.quantity * l.unit_amount`;
