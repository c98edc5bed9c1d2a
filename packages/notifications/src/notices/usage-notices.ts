import { sql } from "kysely";
import { emailKey } from "@paycron/email";
import type { ParsedTaskPayload } from "@paycron/tasks";
import type { NotificationDeps } from "../deps.ts";
import { iso, skip, toCustomer, type NoticeOrSkip } from "../notice.ts";
import { customerRow, organizationRow, subscriptionRow } from "../rows.ts";

/** A meter's usage in a billing period against the allowance of the subscription's price for it. */
async function usageContext(deps: NotificationDeps, payload: { subscriptionId: string; meterId: string; billingPeriodId: string }) {
  const subscription = await subscriptionRow(deps.db, payload.subscriptionId);
  const [organization, customer, period, allowance] = await Promise.all([
    organizationRow(deps.db, subscription.organization_id),
    customerRow(deps.db, subscription.customer_id),
    deps.db.selectFrom("billing_periods").selectAll().where("id", "=", payload.billingPeriodId).where("subscription_id", "=", subscription.id).executeTakeFirst(),
    deps.db
      .selectFrom("subscription_items")
      .innerJoin("prices", "prices.id", "subscription_items.price_id")
      .innerJoin("usage_meters", "usage_meters.id", "prices.usage_meter_id")
      .select(["usage_meters.name", "prices.included_quantity"])
      .where("subscription_items.subscription_id", "=", subscription.id)
      .where("prices.usage_meter_id", "=", payload.meterId)
      .executeTakeFirst(),
  ]);
  if (!period || !allowance || allowance.included_quantity <= 0) return null;
  const { used } = await deps.db
    .selectFrom("usage_events")
    .select(sql<string>`coalesce(sum(quantity), 0)`.as("used"))
    .where("subscription_id", "=", subscription.id)
    .where("usage_meter_id", "=", payload.meterId)
    .where("occurred_at", ">=", period.starts_at)
    .where("occurred_at", "<", period.ends_at)
    .executeTakeFirstOrThrow();
  return {
    subscription,
    period,
    meterName: allowance.name,
    limit: allowance.included_quantity,
    used: Number(used),
    ...toCustomer(organization, customer),
  };
}

export async function usageThreshold(deps: NotificationDeps, payload: ParsedTaskPayload<"notifications-usage-threshold">): Promise<NoticeOrSkip<"usage-threshold">> {
  const ctx = await usageContext(deps, payload);
  if (!ctx) return skip(`subscription ${payload.subscriptionId} has no allowance on meter ${payload.meterId} in period ${payload.billingPeriodId}`);
  return {
    template: "usage-threshold",
    to: ctx.to,
    locale: ctx.locale,
    timeZone: ctx.timeZone,
    idempotencyKey: emailKey("usage-threshold", ctx.subscription.id, `${payload.meterId}:${payload.billingPeriodId}:${payload.thresholdPercent}`),
    props: {
      ...ctx.base,
      meterName: ctx.meterName,
      used: ctx.used,
      limit: ctx.limit,
      periodEndsAt: iso(ctx.period.ends_at),
      upgradeUrl: deps.links.manageSubscription(ctx.subscription.id),
    },
  };
}

export async function usageLimitReached(deps: NotificationDeps, payload: ParsedTaskPayload<"notifications-usage-limit-reached">): Promise<NoticeOrSkip<"usage-limit-reached">> {
  const ctx = await usageContext(deps, payload);
  if (!ctx) return skip(`subscription ${payload.subscriptionId} has no allowance on meter ${payload.meterId} in period ${payload.billingPeriodId}`);
  return {
    template: "usage-limit-reached",
    to: ctx.to,
    locale: ctx.locale,
    timeZone: ctx.timeZone,
    idempotencyKey: emailKey("usage-limit-reached", ctx.subscription.id, `${payload.meterId}:${payload.billingPeriodId}`),
    props: { ...ctx.base, meterName: ctx.meterName, limit: ctx.limit, periodEndsAt: iso(ctx.period.ends_at), upgradeUrl: deps.links.manageSubscription(ctx.subscription.id) },
  };
}
