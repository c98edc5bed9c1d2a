import type { Customer, Db, Invoice, Organization, Payment, Subscription } from "@paycron/db";
import { NotificationError } from "./errors.ts";

/*
 * The rows an email is about, read by id. A missing row is not retryable: the payload names a row
 * that does not exist, and no later attempt will find it.
 */

function found<T>(row: T | undefined, what: string, id: string): T {
  if (!row) throw new NotificationError("notification_subject_not_found", `no ${what} has the id ${id}`, { details: { [`${what}Id`]: id } });
  return row;
}

export async function invoiceRow(db: Db, id: string): Promise<Invoice> {
  return found(await db.selectFrom("invoices").selectAll().where("id", "=", id).executeTakeFirst(), "invoice", id);
}

export async function paymentRow(db: Db, id: string): Promise<Payment> {
  return found(await db.selectFrom("payments").selectAll().where("id", "=", id).executeTakeFirst(), "payment", id);
}

export async function subscriptionRow(db: Db, id: string): Promise<Subscription> {
  return found(await db.selectFrom("subscriptions").selectAll().where("id", "=", id).executeTakeFirst(), "subscription", id);
}

export async function customerRow(db: Db, id: string): Promise<Customer> {
  return found(await db.selectFrom("customers").selectAll().where("id", "=", id).executeTakeFirst(), "customer", id);
}

export async function organizationRow(db: Db, id: string): Promise<Organization> {
  return found(await db.selectFrom("organizations").selectAll().where("id", "=", id).executeTakeFirst(), "organization", id);
}

/** The card (or other method) a payment used, as a customer recognises it; none for a bank debit without one. */
export async function paymentMethodOf(db: Db, paymentMethodId: string | null): Promise<{ brand: string; last4: string } | undefined> {
  if (!paymentMethodId) return undefined;
  const method = await db.selectFrom("payment_methods").select(["brand", "last4"]).where("id", "=", paymentMethodId).executeTakeFirst();
  return method?.brand && method.last4 ? { brand: method.brand, last4: method.last4 } : undefined;
}

/** The subscription's plan: its first static item's price (a subscription without one is usage-only: its first item). */
export async function planOf(db: Db, subscriptionId: string) {
  const price = await db
    .selectFrom("subscription_items")
    .innerJoin("prices", "prices.id", "subscription_items.price_id")
    .select(["prices.id", "prices.name", "prices.unit_amount", "prices.currency", "prices.interval", "subscription_items.quantity"])
    .where("subscription_items.subscription_id", "=", subscriptionId)
    .where("subscription_items.ended_at", "is", null)
    .orderBy("subscription_items.kind")
    .orderBy("subscription_items.created_at")
    .executeTakeFirst();
  if (!price) throw new NotificationError("notification_subject_not_found", `subscription ${subscriptionId} has no current item`, { details: { subscriptionId } });
  return price;
}

/** The next attempt the dunning ladder has scheduled for the period of a failed payment's run, if any. */
export async function nextAttemptAt(db: Db, payment: Payment): Promise<Date | undefined> {
  if (!payment.billing_run_id) return undefined;
  const next = await db
    .selectFrom("billing_runs as failed")
    .innerJoin("billing_runs as next", "next.billing_period_id", "failed.billing_period_id")
    .select("next.scheduled_for")
    .where("failed.id", "=", payment.billing_run_id)
    .where("next.attempt", ">", (eb) => eb.ref("failed.attempt"))
    .where("next.status", "=", "scheduled")
    .orderBy("next.attempt")
    .executeTakeFirst();
  return next?.scheduled_for;
}
