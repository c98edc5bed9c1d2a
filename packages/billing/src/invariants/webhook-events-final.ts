import { sql } from "kysely";
import type { ViolationQuery } from "./violation-query.ts";

/**
 * Invariant 6: every stored provider event is stored once (one row per provider event id) and
 * has reached a final status with its processing time: `received` (never processed) and `failed`
 * (its task gave up) are left behind. One row per open event and per extra copy.
 */
export const webhookEventsFinal: ViolationQuery = () => sql`
  select e.provider || ' event ' || e.provider_event_id || ' (' || e.type || '): ' || e.status as example
  from webhook_events e
  where e.status in ('received', 'failed')
     or (e.status in ('processed', 'ignored', 'unhandled') and e.processed_at is null)
  union all
  select provider || ' event ' || provider_event_id || ': stored ' || n || ' times'
  from (select provider, provider_event_id, count(*) as n from webhook_events group by 1, 2) d
  cross join lateral generate_series(2, d.n) as extra`;
