import { sql } from "kysely";
import type { ViolationQuery } from "./violation-query.ts";

/**
 * Invariant 5: per organization, the invoice numbers handed out (1 .. next_invoice_number − 1,
 * read from each number's trailing digits) are each used exactly once, and none lies beyond them.
 * One row per missing number, per extra use of a number, and per number out of range.
 */
export const invoiceNumbersGapFree: ViolationQuery = () => sql`
  with used as (
    select organization_id, substring(number from '([0-9]+)$')::bigint as n
    from invoices
    where number is not null
  ), counted as (
    select organization_id, n, count(*) as uses from used group by organization_id, n
  )
  select 'organization ' || o.id || ': number ' || s.n || ' missing' as example
  from organizations o
  cross join lateral generate_series(1, o.next_invoice_number - 1) as s(n)
  where not exists (select 1 from counted c where c.organization_id = o.id and c.n = s.n)
  union all
  select 'organization ' || c.organization_id || ': number ' || c.n || ' used ' || c.uses || ' times'
  from counted c cross join lateral generate_series(2, c.uses) as extra
  union all
  select 'organization ' || c.organization_id || ': number ' || coalesce(c.n::text, 'without digits') || ' beyond ' || (o.next_invoice_number - 1)
  from counted c join organizations o on o.id = c.organization_id
  where c.n is null or c.n < 1 or c.n >= o.next_invoice_number`;
