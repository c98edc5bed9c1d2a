import { sql } from "kysely";
import type { ViolationQuery } from "./violation-query.ts";

/**
 * Invariant 8, for a drained engine at `now`: no outbox row due and undispatched, no billing run
 * `in_progress` past its lease, and no payment `processing` or `requires_action` past the window
 * its organization allows its payment method type (organizations.payment_timeout_hours; a card's
 * when the payment has no method). One row per thing left behind.
 */
export const nothingLeftBehind: ViolationQuery = (now) => sql`
  select 'outbox ' || o.task_id || ' ' || o.idempotency_key || ': undispatched' as example
  from task_outbox o
  where o.dispatched_at is null and o.available_at <= ${now}
  union all
  select 'billing run ' || r.id || ': in_progress, lease ended ' || coalesce(to_char(r.lease_until at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'never set')
  from billing_runs r
  where r.status = 'in_progress' and (r.lease_until is null or r.lease_until < ${now})
  union all
  select 'payment ' || p.id || ': ' || p.status || ' since ' || to_char(p.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
  from payments p
  join customers c on c.id = p.customer_id
  join organizations org on org.id = c.organization_id
  left join payment_methods pm on pm.id = p.payment_method_id
  where p.status in ('processing', 'requires_action')
    and p.created_at + make_interval(hours => coalesce(
          (org.payment_timeout_hours ->> coalesce(pm.type, 'card'))::int,
          (org.payment_timeout_hours ->> 'card')::int,
          24)) < ${now}`;
