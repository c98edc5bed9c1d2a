import { sql } from "kysely";
import type { ViolationQuery } from "./violation-query.ts";

/**
 * Invariant 7: an email is sent at most once per business occurrence, which its idempotency key
 * names. The unique index is the first line of defence; this catches a send that went around it
 * (or the index gone). One row per extra send.
 */
export const emailsOnce: ViolationQuery = () => sql`
  select 'email ' || d.idempotency_key || ' to ' || d.recipient || ': sent ' || d.n || ' times' as example
  from (
    select idempotency_key, min(recipient) as recipient, count(*) as n
    from email_deliveries
    where status = 'sent'
    group by idempotency_key
  ) d
  cross join lateral generate_series(2, d.n) as extra`;
