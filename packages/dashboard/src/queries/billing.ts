import { sql } from "kysely";
import type { Clock } from "@paycron/core";
import type { BillingRunStatus, Db, EmailDeliveryStatus, InvoiceStatus, SubscriptionStatus } from "@paycron/db";

import { runsOfCustomer } from "./billing-context.ts";

const LIST = 50;

export interface BillingRunRow {
  id: string;
  subscription_id: string;
  customer_id: string;
  customer_email: string;
  attempt: number;
  status: BillingRunStatus;
  scheduled_for: Date;
  charge_amount: number | null;
  currency: string;
  error: Record<string, unknown> | null;
  completed_at: Date | null;
  created_at: Date;
}

export interface PastDueRow {
  id: string;
  customer_id: string;
  customer_email: string;
  current_period_end: Date;
  /** The failed attempts of the period in dunning, and how many the organization allows in all. */
  step: number;
  steps: number;
  final_action: string;
  next_attempt_at: Date | null;
}

export interface InvoiceRow {
  id: string;
  number: string | null;
  customer_id: string;
  customer_email: string;
  status: InvoiceStatus;
  total: number;
  amount_due: number;
  currency: string;
  pdf_object: string | null;
  receipt_object: string | null;
  issued_at: Date | null;
  created_at: Date;
}

export interface EmailRow {
  id: string;
  template: string;
  recipient: string;
  subject: string;
  status: EmailDeliveryStatus;
  error: string | null;
  created_at: Date;
  sent_at: Date | null;
}

function billingRuns(db: Db) {
  return db
    .selectFrom("billing_runs as r")
    .innerJoin("subscriptions as s", "s.id", "r.subscription_id")
    .innerJoin("customers as c", "c.id", "s.customer_id")
    .select([
      "r.id",
      "r.subscription_id",
      "s.customer_id",
      "c.email as customer_email",
      "r.attempt",
      "r.status",
      "r.scheduled_for",
      "r.charge_amount",
      "s.currency",
      "r.error",
      "r.completed_at",
      "r.created_at",
    ]);
}

/** Scheduled billing runs due by the end of the next 24 hours, soonest first (the billing_runs_due index). */
export function dueBillingRuns(db: Db, clock: Clock, customerId?: string): Promise<BillingRunRow[]> {
  let q = billingRuns(db)
    .where("r.status", "=", "scheduled")
    .where("r.scheduled_for", "<=", new Date(clock.now().getTime() + 24 * 3_600_000))
    .orderBy("r.scheduled_for")
    .limit(LIST);
  if (customerId) q = q.where("s.customer_id", "=", customerId);
  return q.execute() as Promise<BillingRunRow[]>;
}

export function recentBillingRuns(db: Db, customerId?: string): Promise<BillingRunRow[]> {
  let q = billingRuns(db).where("r.status", "!=", "scheduled").orderBy("r.created_at", "desc").orderBy("r.id").limit(LIST);
  if (customerId) q = q.where("s.customer_id", "=", customerId);
  return q.execute() as Promise<BillingRunRow[]>;
}

/**
 * past_due subscriptions with where they stand on the dunning ladder: the number of attempts of
 * the latest period with a failed run, out of 1 + the organization's retry days, and the next
 * scheduled attempt, if any (docs/billing-engine.md, "Dunning").
 */
export async function pastDueSubscriptions(db: Db, customerId?: string): Promise<PastDueRow[]> {
  let q = db
    .selectFrom("subscriptions as s")
    .innerJoin("customers as c", "c.id", "s.customer_id")
    .innerJoin("organizations as o", "o.id", "s.organization_id")
    .select([
      "s.id",
      "s.customer_id",
      "c.email as customer_email",
      "s.current_period_end",
      "o.dunning_final_action as final_action",
      sql<number>`coalesce(array_length(o.dunning_retry_days, 1), 0) + 1`.as("steps"),
      sql<number>`coalesce((select max(r.attempt) from billing_runs r where r.subscription_id = s.id and r.billing_period_id = (
          select r2.billing_period_id from billing_runs r2 where r2.subscription_id = s.id and r2.status = 'failed' order by r2.created_at desc limit 1)
        and r.status <> 'scheduled'), 0)::int`.as("step"),
      sql<Date | null>`(select min(r.scheduled_for) from billing_runs r where r.subscription_id = s.id and r.status = 'scheduled')`.as("next_attempt_at"),
    ])
    .where("s.status", "=", "past_due")
    .orderBy("s.id")
    .limit(LIST);
  if (customerId) q = q.where("s.customer_id", "=", customerId);
  return q.execute();
}

export function recentInvoices(db: Db, customerId?: string): Promise<InvoiceRow[]> {
  let q = db
    .selectFrom("invoices as i")
    .innerJoin("customers as c", "c.id", "i.customer_id")
    .select(["i.id", "i.number", "i.customer_id", "c.email as customer_email", "i.status", "i.total", "i.amount_due", "i.currency", "i.pdf_object", "i.receipt_object", "i.issued_at", "i.created_at"])
    .orderBy("i.created_at", "desc")
    .orderBy("i.id")
    .limit(LIST);
  if (customerId) q = q.where("i.customer_id", "=", customerId);
  return q.execute();
}

/** The local email outbox: email_deliveries rows, newest first (to one recipient for a customer's page). */
export function recentEmails(db: Db, recipient?: string): Promise<EmailRow[]> {
  let q = db
    .selectFrom("email_deliveries")
    .select(["id", "template", "recipient", "subject", "status", "error", "created_at", "sent_at"])
    .orderBy("created_at", "desc")
    .orderBy("id")
    .limit(LIST);
  if (recipient) q = q.where("recipient", "=", recipient);
  return q.execute();
}

export function emailView(db: Db, id: string) {
  return db.selectFrom("email_deliveries").selectAll().where("id", "=", id).executeTakeFirst();
}

export interface SubscriptionRow {
  id: string;
  status: SubscriptionStatus;
  currency: string;
  current_period_start: Date;
  current_period_end: Date;
  cancel_at_period_end: boolean;
  created_at: Date;
}

/** A customer's page: the customer, their subscriptions, and the billing lists narrowed to them. */
export async function customerView(db: Db, clock: Clock, id: string) {
  const customer = await db.selectFrom("customers").selectAll().where("id", "=", id).executeTakeFirst();
  if (!customer) return undefined;
  const [subscriptions, due, recent, pastDue, invoices, emails, payments, runs] = await Promise.all([
    db
      .selectFrom("subscriptions")
      .select(["id", "status", "currency", "current_period_start", "current_period_end", "cancel_at_period_end", "created_at"])
      .where("customer_id", "=", id)
      .orderBy("created_at", "desc")
      .execute() as Promise<SubscriptionRow[]>,
    dueBillingRuns(db, clock, id),
    recentBillingRuns(db, id),
    pastDueSubscriptions(db, id),
    recentInvoices(db, id),
    recentEmails(db, customer.email),
    db
      .selectFrom("payments")
      .select(["id", "invoice_id", "billing_run_id", "amount", "amount_refunded", "currency", "status", "stripe_payment_intent_id", "failure_code", "failure_message", "created_at"])
      .where("customer_id", "=", id)
      .orderBy("created_at", "desc")
      .limit(LIST)
      .execute(),
    runsOfCustomer(db, id),
  ]);
  return { customer, subscriptions, due, recent, pastDue, invoices, emails, payments, runs };
}

/** Customers by email or name fragment, for the billing page's search. */
export function findCustomers(db: Db, text: string) {
  const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return db
    .selectFrom("customers")
    .select(["id", "email", "name", "external_id", "created_at"])
    .where((eb) => eb.or([eb("email", "ilike", like), eb("name", "ilike", like), eb("external_id", "=", text)]))
    .orderBy("created_at", "desc")
    .limit(LIST)
    .execute();
}
