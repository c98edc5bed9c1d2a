import { sql } from "kysely";
import { perRow, type CatchUpSweep } from "./catch-up-sweep.ts";
import { hourlyKey } from "./ticks.ts";

/*
 * A payment's window is the organization's payment_timeout_hours for its payment method's type
 * (a card answers in hours, a bank debit takes days), `card` for a payment without one; a type
 * missing from the organization's JSON, or not a number there, falls back to its card value, and
 * that to 24 hours. A bad value in one organization must not stop the sweep for all of them.
 */
const methodType = sql`coalesce(payment_methods.type, 'card')`;
const timeoutHours = sql`coalesce(
  case when jsonb_typeof(organizations.payment_timeout_hours -> ${methodType}) = 'number'
    then (organizations.payment_timeout_hours ->> ${methodType})::numeric end,
  case when jsonb_typeof(organizations.payment_timeout_hours -> 'card') = 'number'
    then (organizations.payment_timeout_hours ->> 'card')::numeric end,
  24)`;

/** Payments still `processing` or `requires_action` past their window, in one joined query. */
export const stalePayments: CatchUpSweep<{ id: string }> = {
  findDue: (tx, now, { after, limit }) =>
    tx
      .selectFrom("payments")
      .leftJoin("payment_methods", "payment_methods.id", "payments.payment_method_id")
      .innerJoin("customers", "customers.id", "payments.customer_id")
      .innerJoin("organizations", "organizations.id", "customers.organization_id")
      .select("payments.id")
      .where("payments.status", "in", ["processing", "requires_action"])
      .where(sql<boolean>`payments.created_at + ${timeoutHours} * interval '1 hour' <= ${now}`)
      .$if(after !== null, (q) => q.where("payments.id", ">", after!))
      .orderBy("payments.id")
      .limit(limit)
      .execute(),
  toItems: perRow((row, now) => ({
    taskId: "payment-timeout",
    payload: { paymentId: row.id },
    options: { idempotencyKey: hourlyKey(row.id, now) },
  })),
};
