import { billingRunTaskKey } from "@paycron/billing";
import type { BillingRunStatus, Db, PaymentStatus, SubscriptionStatus, TaskRun } from "@paycron/db";
import { escapeLike } from "./webhook-events.ts";

/*
 * The billing state behind a run: what its payload names (billingRunId, subscriptionId,
 * paymentId, and the batch tasks' lists), as it stands now, each with its customer. And the other
 * way: a customer's runs, found by the idempotency keys billing gives the runs it enqueues.
 */

export interface BillingContext {
  billingRuns: Array<{ id: string; status: BillingRunStatus; attempt: number; charge_amount: number | null; currency: string; customer_id: string; customer_email: string }>;
  subscriptions: Array<{ id: string; status: SubscriptionStatus; current_period_end: Date; customer_id: string; customer_email: string }>;
  payments: Array<{ id: string; status: PaymentStatus; amount: number; currency: string; failure_code: string | null; customer_id: string; customer_email: string }>;
  /** How many ids the payload named in all (a batch may name 500; the first 20 are shown). */
  named: number;
}

const SHOWN = 20;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function ids(payload: unknown, one: string, many: string): string[] {
  const p = (payload ?? {}) as Record<string, unknown>;
  const list = [p[one], ...(Array.isArray(p[many]) ? (p[many] as unknown[]) : [])];
  return list.filter((v): v is string => typeof v === "string" && UUID.test(v));
}

export async function billingContext(db: Db, payload: unknown): Promise<BillingContext | null> {
  const runIds = ids(payload, "billingRunId", "billingRunIds");
  const subscriptionIds = ids(payload, "subscriptionId", "subscriptionIds");
  const paymentIds = ids(payload, "paymentId", "paymentIds");
  const named = runIds.length + subscriptionIds.length + paymentIds.length;
  if (named === 0) return null;
  const [billingRuns, subscriptions, payments] = await Promise.all([
    runIds.length
      ? db
          .selectFrom("billing_runs as r")
          .innerJoin("subscriptions as s", "s.id", "r.subscription_id")
          .innerJoin("customers as c", "c.id", "s.customer_id")
          .select(["r.id", "r.status", "r.attempt", "r.charge_amount", "s.currency", "s.customer_id", "c.email as customer_email"])
          .where("r.id", "in", runIds.slice(0, SHOWN))
          .execute()
      : [],
    subscriptionIds.length
      ? db
          .selectFrom("subscriptions as s")
          .innerJoin("customers as c", "c.id", "s.customer_id")
          .select(["s.id", "s.status", "s.current_period_end", "s.customer_id", "c.email as customer_email"])
          .where("s.id", "in", subscriptionIds.slice(0, SHOWN))
          .execute()
      : [],
    paymentIds.length
      ? db
          .selectFrom("payments as p")
          .innerJoin("customers as c", "c.id", "p.customer_id")
          .select(["p.id", "p.status", "p.amount", "p.currency", "p.failure_code", "p.customer_id", "c.email as customer_email"])
          .where("p.id", "in", paymentIds.slice(0, SHOWN))
          .execute()
      : [],
  ]);
  return { billingRuns, subscriptions, payments, named };
}

/*
 * The outbox keys billing gives the runs it enqueues, by the object they are about (keep in step
 * with packages/billing: billingRunTaskKey, and the sweeps' hourlyKey/dailyKey `<row id>@<tick>`,
 * `expire-incomplete:<subscription>`, `after-payment:<subscription>@…`, `<billing run>@lease:…`).
 * Each is a prefix: one range of the idempotency key index.
 */
function billingKeyPrefixes(objects: { billingRuns: string[]; subscriptions: string[]; payments: string[] }): string[] {
  return [
    ...objects.billingRuns.flatMap((id) => [billingRunTaskKey(id), `${id}@`]),
    ...objects.subscriptions.flatMap((id) => [`${id}@`, `expire-incomplete:${id}`, `after-payment:${id}@`]),
    ...objects.payments.map((id) => `${id}@`),
  ];
}

/** A customer's runs, newest first: the runs billing enqueued about their billing runs, subscriptions and payments. */
export async function runsOfCustomer(db: Db, customerId: string, limit = 50): Promise<TaskRun[]> {
  const [billingRuns, subscriptions, payments] = await Promise.all([
    db
      .selectFrom("billing_runs as r")
      .innerJoin("subscriptions as s", "s.id", "r.subscription_id")
      .select("r.id")
      .where("s.customer_id", "=", customerId)
      .orderBy("r.created_at", "desc")
      .limit(100)
      .execute(),
    db.selectFrom("subscriptions").select("id").where("customer_id", "=", customerId).limit(20).execute(),
    db.selectFrom("payments").select("id").where("customer_id", "=", customerId).orderBy("created_at", "desc").limit(50).execute(),
  ]);
  const prefixes = billingKeyPrefixes({ billingRuns: billingRuns.map((r) => r.id), subscriptions: subscriptions.map((s) => s.id), payments: payments.map((p) => p.id) });
  if (prefixes.length === 0) return [];
  return db
    .selectFrom("task_runs")
    .selectAll()
    .where((eb) => eb.or(prefixes.map((p) => eb("idempotency_key", "like", `${escapeLike(p)}%`))))
    .orderBy("created_at", "desc")
    .orderBy("id")
    .limit(limit)
    .execute();
}
