import { sql } from "kysely";
import type { ViolationQuery } from "./violation-query.ts";

/**
 * Invariant 2: an invoice's amount_paid is what its payments kept, Σ (amount − amount_refunded)
 * over payments that took money (succeeded or refunded), and a paid invoice owes nothing.
 */
export const amountPaidMatchesPayments: ViolationQuery = () => sql`
  select 'invoice ' || i.id || ': amount_paid ' || i.amount_paid || ', payments ' || coalesce(kept.amount, 0)
           || ', status ' || i.status || ', amount_due ' || i.amount_due as example
  from invoices i
  left join (
    select invoice_id, sum(amount - amount_refunded) as amount
    from payments
    where status in ('succeeded', 'refunded')
    group by invoice_id
  ) kept on kept.invoice_id = i.id
  where i.amount_paid <> coalesce(kept.amount, 0)
     or (i.status = 'paid' and i.amount_due <> 0)`;
