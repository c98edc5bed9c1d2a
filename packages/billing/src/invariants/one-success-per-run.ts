import { sql } from "kysely";
import type { ViolationQuery } from "./violation-query.ts";

/**
 * Invariant 1: at most one successful charge per billing run, and no billing period charged twice
 * (one row per period with more than one payment that took money, refunded or not). A period's
 * payments are found through their run and through their invoice, so a payment recorded without
 * a run still counts.
 */
export const oneSuccessPerRun: ViolationQuery = () => sql`
  select 'period ' || period_id || ': ' || count(*) || ' charges' as example
  from (
    select coalesce(r.billing_period_id, i.billing_period_id) as period_id
    from payments p
    join invoices i on i.id = p.invoice_id
    left join billing_runs r on r.id = p.billing_run_id
    where p.status in ('succeeded', 'refunded')
  ) charged
  where period_id is not null
  group by period_id
  having count(*) > 1`;
