import { sql } from "kysely";
import type { ViolationQuery } from "./violation-query.ts";

/**
 * Invariant 9, second half: while a subscription is past_due, no later period is charged: no
 * billing run of a period starting after its earliest unpaid period has executed (started,
 * awaiting payment, succeeded or failed). A run merely written ahead (`scheduled`, as a usage
 * period's run is when the period opens) or `aborted` charged nothing. A period is unpaid when
 * it is `past_due` or its invoice is open or uncollectible with an amount due. One row per run.
 */
export const pastDueNotRolled: ViolationQuery = () => sql`
  with earliest_unpaid as (
    select s.id as subscription_id, min(bp.starts_at) as starts_at
    from subscriptions s
    join billing_periods bp on bp.subscription_id = s.id
    left join invoices i on i.billing_period_id = bp.id
    where s.status = 'past_due'
      and (bp.status = 'past_due' or (i.status in ('open', 'uncollectible') and i.amount_due > 0))
    group by s.id
  )
  select 'billing run ' || r.id || ' (' || r.status || ') of a period after the unpaid one of past_due subscription '
           || u.subscription_id as example
  from earliest_unpaid u
  join billing_periods bp on bp.subscription_id = u.subscription_id and bp.starts_at > u.starts_at
  join billing_runs r on r.billing_period_id = bp.id
  where r.status in ('in_progress', 'awaiting_payment', 'succeeded', 'failed')`;
