import { sql } from "kysely";
import type { BillingRunStatus, Db, PaymentMethodType, PaymentStatus, PaymentTimeoutHours, SubscriptionStatus } from "@paycron/db";
import { createCustomer, createOrganization, createPaymentMethod, createSubscription } from "@paycron/db/testing";

/** Rows the sweeps look at, one call each. Every test starts from empty tables. */
export async function emptyTables(db: Db): Promise<void> {
  await sql`truncate organizations, task_outbox, task_runs, webhook_events cascade`.execute(db);
}

export interface Account {
  organizationId: string;
  customerId: string;
}

/** An organization (with its own payment windows, when given; any JSON, to test bad values) and a customer. */
export async function createAccount(db: Db, paymentTimeoutHours?: PaymentTimeoutHours | Record<string, unknown>): Promise<Account> {
  const organization = await createOrganization(db, paymentTimeoutHours ? { payment_timeout_hours: paymentTimeoutHours as PaymentTimeoutHours } : {});
  const customer = await createCustomer(db, { organization_id: organization.id });
  return { organizationId: organization.id, customerId: customer.id };
}

export async function createSubscriptionRow(
  db: Db,
  account: Account,
  options: { status?: SubscriptionStatus; periodEnd?: string; createdAt?: string } = {},
): Promise<string> {
  const sub = await createSubscription(db, {
    organization_id: account.organizationId,
    customer_id: account.customerId,
    status: options.status ?? "active",
    current_period_start: new Date("2026-01-01T00:00:00Z"),
    current_period_end: new Date(options.periodEnd ?? "2099-01-01T00:00:00Z"),
    canceled_at: options.status === "canceled" ? new Date("2026-01-02T00:00:00Z") : null,
    ...(options.createdAt ? { created_at: new Date(options.createdAt) } : {}),
  });
  return sub.id;
}

let periodStart = Date.parse("2026-01-01T00:00:00Z");

/** A billing run in a period of its own (one live run per period), on the given subscription or a new one. */
export async function createBillingRun(
  db: Db,
  account: Account,
  options: { status?: BillingRunStatus; scheduledFor?: string; leaseUntil?: string; subscriptionId?: string } = {},
): Promise<string> {
  const subscriptionId = options.subscriptionId ?? (await createSubscriptionRow(db, account));
  periodStart += 86_400_000;
  const period = await db
    .insertInto("billing_periods")
    .values({ subscription_id: subscriptionId, starts_at: new Date(periodStart), ends_at: new Date(periodStart + 86_400_000), status: "active" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const run = await db
    .insertInto("billing_runs")
    .values({
      billing_period_id: period.id,
      subscription_id: subscriptionId,
      attempt: 1,
      scheduled_for: new Date(options.scheduledFor ?? "2026-01-01T00:00:00Z"),
      status: options.status ?? "scheduled",
      lease_until: options.leaseUntil ? new Date(options.leaseUntil) : null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return run.id;
}

/** A payment created at `createdAt`, paid with a method of `methodType` (none when null). */
export async function createPayment(
  db: Db,
  account: Account,
  options: { createdAt: string; methodType?: PaymentMethodType | null; status?: PaymentStatus },
): Promise<string> {
  const method =
    options.methodType === null
      ? null
      : await createPaymentMethod(db, { customer_id: account.customerId, type: options.methodType ?? "card", is_default: false });
  const invoice = await db
    .insertInto("invoices")
    .values({ organization_id: account.organizationId, customer_id: account.customerId, status: "draft", currency: "USD" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const payment = await db
    .insertInto("payments")
    .values({
      invoice_id: invoice.id,
      customer_id: account.customerId,
      payment_method_id: method?.id ?? null,
      amount: 4900,
      currency: "USD",
      status: options.status ?? "processing",
      created_at: new Date(options.createdAt),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return payment.id;
}

/** What the sweeps enqueued for a task: its outbox rows' keys and payloads, oldest first. */
export async function outboxRows(db: Db, taskId: string) {
  const rows = await db
    .selectFrom("task_outbox")
    .select(["idempotency_key", "payload"])
    .where("task_id", "=", taskId)
    .orderBy("created_at")
    .orderBy("idempotency_key")
    .execute();
  return rows.map((r) => ({ key: r.idempotency_key, payload: r.payload as Record<string, string | string[]> }));
}

/** The ids a task was enqueued for (the payload's only field, or every id of a batch's list), sorted. */
export async function enqueuedIds(db: Db, taskId: string): Promise<string[]> {
  return (await outboxRows(db, taskId)).flatMap((r) => Object.values(r.payload)[0]!).sort();
}
