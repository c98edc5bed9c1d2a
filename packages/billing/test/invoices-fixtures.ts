import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { Db, UsageAggregation } from "@paycron/db";
import { createCustomer, createOrganization, createPrice, createSubscription, waitFor } from "@paycron/db/testing";

/* Rows the invoice tests build on; every date is explicit so nothing depends on the wall clock. */

export const d = (iso: string) => new Date(iso);

/**
 * Long before any period of these tests, so an item is live from the first one; a second apart,
 * so items come out in the order they were added (lines follow the items' creation).
 */
let itemsAdded = 0;
const longAgo = () => new Date(Date.parse("2020-01-01T00:00:00Z") + 1000 * itemsAdded++);

export async function billedSubscription(db: Db, options: { organizationId?: string; timezone?: string; currency?: string } = {}) {
  const organizationId =
    options.organizationId ?? (await createOrganization(db, { timezone: options.timezone ?? "UTC", invoice_prefix: "ACME" })).id;
  const customer = await createCustomer(db, { organization_id: organizationId });
  const subscription = await createSubscription(db, {
    organization_id: organizationId,
    customer_id: customer.id,
    currency: options.currency ?? "USD",
  });
  return { organizationId, customerId: customer.id, subscriptionId: subscription.id };
}

export type Billed = Awaited<ReturnType<typeof billedSubscription>>;

export async function addPeriod(db: Db, subscriptionId: string, startsAt: string, endsAt: string): Promise<string> {
  const row = await db
    .insertInto("billing_periods")
    .values({ subscription_id: subscriptionId, starts_at: d(startsAt), ends_at: d(endsAt), status: "active" })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function addStaticItem(
  db: Db,
  billed: Billed,
  item: { name?: string; unitAmount: number; quantity?: number; currency?: string; createdAt?: string; endedAt?: string },
) {
  const price = await createPrice(db, {
    organization_id: billed.organizationId,
    name: item.name ?? "Pro",
    unit_amount: item.unitAmount,
    currency: item.currency ?? "USD",
  });
  await db
    .insertInto("subscription_items")
    .values({
      subscription_id: billed.subscriptionId,
      price_id: price.id,
      kind: "static",
      quantity: item.quantity ?? 1,
      created_at: item.createdAt ? d(item.createdAt) : longAgo(),
      ended_at: item.endedAt ? d(item.endedAt) : null,
    })
    .execute();
  return price.id;
}

export async function addUsageItem(
  db: Db,
  billed: Billed,
  item: { meter?: string; aggregation: UsageAggregation; unitAmount: number; included?: number; currency?: string; meterId?: string },
) {
  const meterId =
    item.meterId ??
    (
      await db
        .insertInto("usage_meters")
        .values({
          organization_id: billed.organizationId,
          slug: `meter-${randomUUID().slice(0, 8)}`,
          name: item.meter ?? "API calls",
          aggregation: item.aggregation,
        })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  const price = await createPrice(db, {
    organization_id: billed.organizationId,
    name: `${item.meter ?? "API calls"} price`,
    unit_amount: item.unitAmount,
    currency: item.currency ?? "USD",
    usage_meter_id: meterId,
    included_quantity: item.included ?? 0,
  });
  await db
    .insertInto("subscription_items")
    .values({ subscription_id: billed.subscriptionId, price_id: price.id, kind: "usage", created_at: longAgo() })
    .execute();
  return { meterId, priceId: price.id };
}

export async function addUsage(
  db: Db,
  event: { meterId: string; customerId: string; subscriptionId: string | null; quantity: number; at: string },
) {
  await db
    .insertInto("usage_events")
    .values({
      usage_meter_id: event.meterId,
      customer_id: event.customerId,
      subscription_id: event.subscriptionId,
      quantity: event.quantity,
      occurred_at: d(event.at),
      idempotency_key: randomUUID(),
    })
    .execute();
}

/** Resolves once `count` backends of this database wait on a row lock. */
export function lockWaiters(db: Db, count: number, what: string) {
  return waitFor(async () => {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(db);
    return rows[0]!.n >= count;
  }, what);
}
