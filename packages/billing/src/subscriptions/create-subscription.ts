import { enqueue, enqueueMany } from "@paycron/runtime";
import { withTransaction, type SubscriptionStatus, type Tx } from "@paycron/db";
import type { BillingDbDeps } from "../deps.ts";
import { BillingError } from "../errors.ts";
import { periodBounds } from "../periods/period-bounds.ts";
import { subscriptionStarted } from "../notices/follow-ups.ts";
import { billingRunTaskKey } from "../runs/billing-run-key.ts";

export interface CreateSubscriptionInput {
  customerId: string;
  items: ReadonlyArray<{ priceId: string; quantity?: number }>;
  /** payment_methods.id of the customer's; defaults to the customer's default payment method. */
  defaultPaymentMethodId?: string | null;
  /** Tried when a charge on the default one fails (the dunning ladder's retries). */
  backupPaymentMethodId?: string | null;
}

export interface CreatedSubscription {
  subscriptionId: string;
  status: SubscriptionStatus;
  billingPeriodId: string;
  billingRunId: string;
  /** When the first run is due: now for fixed prices (in advance), the period's end for usage only (in arrears). */
  firstRunAt: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Sign-up: the subscription, its items, its first period (anchored now, in the organization's
 * timezone) and that period's first billing run, in one transaction, with the run handed to the
 * engine through the outbox. With a fixed price the first period is charged at once and the
 * subscription stays `incomplete` until that payment succeeds (as Stripe's
 * `payment_behavior=default_incomplete`); a usage-only subscription has nothing to charge yet and
 * starts `active`, billed in arrears when the period ends.
 */
export async function createSubscription(deps: BillingDbDeps, input: CreateSubscriptionInput): Promise<CreatedSubscription> {
  if (!UUID.test(input.customerId)) throw invalid("customerId", `no customer with id ${JSON.stringify(input.customerId)}`);
  if (input.items.length === 0) throw invalid("items", "a subscription needs at least one item");
  for (const [i, item] of input.items.entries()) {
    if (!UUID.test(item.priceId)) throw invalid(`items[${i}].priceId`, `no price with id ${JSON.stringify(item.priceId)}`);
    const q = item.quantity ?? 1;
    if (!Number.isSafeInteger(q) || q < 1) throw invalid(`items[${i}].quantity`, `quantity must be a positive integer, got ${String(item.quantity)}`);
  }
  const now = deps.clock.now();
  const created = await withTransaction(deps.db, (tx) => insertSubscription(tx, input, now, deps.clock));
  deps.logger.info({ subscriptionId: created.subscriptionId, status: created.status, firstRunAt: created.firstRunAt }, "subscription created");
  return created;
}

async function insertSubscription(tx: Tx, input: CreateSubscriptionInput, now: Date, clock: BillingDbDeps["clock"]): Promise<CreatedSubscription> {
  const customer = await tx
    .selectFrom("customers")
    .innerJoin("organizations", "organizations.id", "customers.organization_id")
    .select(["customers.id", "customers.organization_id", "organizations.timezone"])
    .where("customers.id", "=", input.customerId)
    .executeTakeFirst();
  if (!customer) throw invalid("customerId", `no customer with id ${input.customerId}`, "customer_not_found");

  const priceIds = [...new Set(input.items.map((i) => i.priceId))];
  const prices = await tx.selectFrom("prices").selectAll().where("id", "in", priceIds).execute();
  const byId = new Map(prices.map((p) => [p.id, p]));
  for (const [i, item] of input.items.entries()) {
    const price = byId.get(item.priceId);
    if (!price || price.organization_id !== customer.organization_id) throw invalid(`items[${i}].priceId`, `no price ${item.priceId} in the customer's organization`);
    if (!price.active) throw invalid(`items[${i}].priceId`, `price ${item.priceId} is archived`);
  }
  const first = byId.get(input.items[0]!.priceId)!;
  if (prices.some((p) => p.currency !== first.currency)) throw invalid("items", "every price of a subscription must have the same currency");
  if (prices.some((p) => p.interval !== first.interval || p.interval_count !== first.interval_count)) {
    throw invalid("items", "every price of a subscription must have the same interval and interval count");
  }
  if (prices.some((p) => p.trial_period_days > 0)) throw invalid("items", "prices with a trial period are not supported yet", "trials_unsupported");

  const defaultPm = await paymentMethodOf(tx, customer.id, input.defaultPaymentMethodId, "defaultPaymentMethodId");
  const backupPm = await paymentMethodOf(tx, customer.id, input.backupPaymentMethodId ?? null, "backupPaymentMethodId");

  const kinds = input.items.map((item) => (byId.get(item.priceId)!.usage_meter_id ? "usage" : "static") as "usage" | "static");
  const hasFixed = kinds.includes("static");
  const bounds = periodBounds({ anchor: now, interval: first.interval, intervalCount: first.interval_count, timezone: customer.timezone, index: 0 });
  const status: SubscriptionStatus = hasFixed ? "incomplete" : "active";

  const subscription = await tx
    .insertInto("subscriptions")
    .values({
      organization_id: customer.organization_id,
      customer_id: customer.id,
      status,
      currency: first.currency,
      billing_cycle_anchor: now,
      current_period_start: bounds.start,
      current_period_end: bounds.end,
      default_payment_method_id: defaultPm,
      backup_payment_method_id: backupPm,
      created_at: now,
      updated_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await tx
    .insertInto("subscription_items")
    .values(input.items.map((item, i) => ({ subscription_id: subscription.id, price_id: item.priceId, quantity: item.quantity ?? 1, kind: kinds[i]!, created_at: now })))
    .execute();
  const period = await tx
    .insertInto("billing_periods")
    .values({ subscription_id: subscription.id, starts_at: bounds.start, ends_at: bounds.end, status: "active", created_at: now, updated_at: now })
    .returning("id")
    .executeTakeFirstOrThrow();
  const firstRunAt = hasFixed ? bounds.start : bounds.end;
  const run = await tx
    .insertInto("billing_runs")
    .values({
      billing_period_id: period.id,
      subscription_id: subscription.id,
      attempt: 1,
      scheduled_for: firstRunAt,
      status: "scheduled",
      created_at: now,
      updated_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await enqueue(tx, "billing-run", { billingRunId: run.id }, { idempotencyKey: billingRunTaskKey(run.id), delay: firstRunAt, clock });
  // A subscription with a fixed price starts when its first payment succeeds (onInvoicePaid says so then).
  if (status === "active") await enqueueMany(tx, clock, [subscriptionStarted(subscription.id)]);
  return { subscriptionId: subscription.id, status, billingPeriodId: period.id, billingRunId: run.id, firstRunAt };
}

async function paymentMethodOf(tx: Tx, customerId: string, id: string | null | undefined, field: string): Promise<string | null> {
  if (id === null) return null;
  if (id !== undefined && !UUID.test(id)) throw invalid(field, `no payment method with id ${JSON.stringify(id)}`);
  const query = tx.selectFrom("payment_methods").select("id").where("customer_id", "=", customerId).where("detached_at", "is", null);
  const row = await (id === undefined ? query.where("is_default", "=", true) : query.where("id", "=", id)).executeTakeFirst();
  if (id !== undefined && !row) throw invalid(field, `payment method ${id} is not a live payment method of customer ${customerId}`);
  return row?.id ?? null;
}

function invalid(field: string, message: string, code: "invalid_subscription" | "customer_not_found" | "trials_unsupported" = "invalid_subscription"): BillingError {
  return new BillingError(code, message, { details: { field } });
}
