import { sql } from "kysely";
import type { ViolationQuery } from "./violation-query.ts";

/**
 * Invariant 9, first half: a subscription that has ended (canceled, or incomplete_expired) has no
 * billing run still scheduled to charge it. One row per such run.
 */
export const canceledNotBilled: ViolationQuery = () => sql`
  select 'billing run ' || r.id || ' scheduled on ' || s.status || ' subscription ' || s.id as example
  from billing_runs r
  join subscriptions s on s.id = r.subscription_id
  where r.status = 'scheduled' and s.status in ('canceled', 'incomplete_expired')`;
