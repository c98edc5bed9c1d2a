import { sql } from "kysely";
import type { ViolationQuery } from "./violation-query.ts";

/**
 * Invariant 4: each billing period of a subscription starts exactly where the previous one ended
 * (no gap, no overlap). One row per pair of neighbours that do not meet.
 */
export const periodsContiguous: ViolationQuery = () => sql`
  select 'subscription ' || subscription_id || ': period ending ' || to_char(previous_end at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
           || ' followed by one starting ' || to_char(starts_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as example
  from (
    select subscription_id, starts_at, lag(ends_at) over (partition by subscription_id order by starts_at) as previous_end
    from billing_periods
  ) p
  where previous_end is not null and previous_end <> starts_at`;
