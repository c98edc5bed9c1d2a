import type { Customer, Organization, Subscription } from "@paycron/db";
import { emailKey } from "@paycron/email";
import type { ParsedTaskPayload } from "@paycron/tasks";
import type { NotificationDeps } from "../deps.ts";
import { iso, skip, toCustomer, type NoticeOrSkip } from "../notice.ts";
import { customerRow, organizationRow, planOf, subscriptionRow } from "../rows.ts";

interface SubscriptionContext {
  subscription: Subscription;
  organization: Organization;
  customer: Customer;
}

async function subscriptionContext(deps: NotificationDeps, subscriptionId: string): Promise<SubscriptionContext> {
  const subscription = await subscriptionRow(deps.db, subscriptionId);
  const [organization, customer] = await Promise.all([organizationRow(deps.db, subscription.organization_id), customerRow(deps.db, subscription.customer_id)]);
  return { subscription, organization, customer };
}

export async function subscriptionCreated(deps: NotificationDeps, payload: { subscriptionId: string }): Promise<NoticeOrSkip<"subscription-created">> {
  const ctx = await subscriptionContext(deps, payload.subscriptionId);
  const { subscription } = ctx;
  if (subscription.status === "incomplete" || subscription.status === "incomplete_expired") {
    return skip(`subscription ${subscription.id} is ${subscription.status}: it has not started`);
  }
  const plan = await planOf(deps.db, subscription.id);
  const { to, locale, timeZone, base } = toCustomer(ctx.organization, ctx.customer);
  return {
    template: "subscription-created",
    to,
    locale,
    timeZone,
    idempotencyKey: emailKey("subscription-created", subscription.id, "created"),
    props: {
      ...base,
      planName: plan.name,
      price: { amount: plan.unit_amount * plan.quantity, currency: plan.currency },
      interval: plan.interval,
      startedAt: iso(subscription.created_at),
      nextBillingAt: iso(subscription.trial_end ?? subscription.current_period_end),
      manageUrl: deps.links.manageSubscription(subscription.id),
    },
  };
}

export async function subscriptionCanceled(deps: NotificationDeps, payload: { subscriptionId: string }): Promise<NoticeOrSkip<"subscription-canceled">> {
  const ctx = await subscriptionContext(deps, payload.subscriptionId);
  const { subscription } = ctx;
  if (subscription.status !== "canceled" || !subscription.canceled_at) return skip(`subscription ${subscription.id} is ${subscription.status}, not canceled`);
  const plan = await planOf(deps.db, subscription.id).catch(() => null);
  const { to, locale, timeZone, base } = toCustomer(ctx.organization, ctx.customer);
  return {
    template: "subscription-canceled",
    to,
    locale,
    timeZone,
    idempotencyKey: emailKey("subscription-canceled", subscription.id, "canceled"),
    props: {
      ...base,
      planName: plan?.name ?? subscription.id,
      canceledAt: iso(subscription.ended_at ?? subscription.canceled_at),
      resubscribeUrl: deps.links.account(ctx.customer.id),
    },
  };
}

export async function cancellationScheduled(deps: NotificationDeps, payload: { subscriptionId: string }): Promise<NoticeOrSkip<"cancellation-scheduled">> {
  const ctx = await subscriptionContext(deps, payload.subscriptionId);
  const { subscription } = ctx;
  const effectiveAt = subscription.cancel_at ?? (subscription.cancel_at_period_end ? subscription.current_period_end : null);
  if (!effectiveAt || subscription.status === "canceled") return skip(`subscription ${subscription.id} has no cancellation scheduled`);
  const plan = await planOf(deps.db, subscription.id);
  const { to, locale, timeZone, base } = toCustomer(ctx.organization, ctx.customer);
  return {
    template: "cancellation-scheduled",
    to,
    locale,
    timeZone,
    // A cancellation withdrawn and scheduled again for another date is another occurrence.
    idempotencyKey: emailKey("cancellation-scheduled", subscription.id, iso(effectiveAt)),
    props: { ...base, planName: plan.name, effectiveAt: iso(effectiveAt), manageUrl: deps.links.manageSubscription(subscription.id) },
  };
}

export async function planChanged(deps: NotificationDeps, payload: ParsedTaskPayload<"notifications-plan-changed">): Promise<NoticeOrSkip<"plan-changed">> {
  const ctx = await subscriptionContext(deps, payload.subscriptionId);
  const prices = await deps.db.selectFrom("prices").selectAll().where("id", "in", [payload.fromPriceId, payload.toPriceId]).execute();
  const from = prices.find((p) => p.id === payload.fromPriceId);
  const to = prices.find((p) => p.id === payload.toPriceId);
  if (!from || !to) return skip(`price ${!from ? payload.fromPriceId : payload.toPriceId} does not exist`);
  const recipient = toCustomer(ctx.organization, ctx.customer);
  return {
    template: "plan-changed",
    to: recipient.to,
    locale: recipient.locale,
    timeZone: recipient.timeZone,
    idempotencyKey: emailKey("plan-changed", ctx.subscription.id, `${from.id}>${to.id}@${payload.effectiveAt}`),
    props: {
      ...recipient.base,
      fromPlan: from.name,
      toPlan: to.name,
      price: { amount: to.unit_amount, currency: to.currency },
      interval: to.interval,
      effectiveAt: payload.effectiveAt,
      manageUrl: deps.links.manageSubscription(ctx.subscription.id),
    },
  };
}

export async function trialEnding(deps: NotificationDeps, payload: { subscriptionId: string; daysLeft: number }): Promise<NoticeOrSkip<"trial-ending">> {
  const ctx = await subscriptionContext(deps, payload.subscriptionId);
  const { subscription } = ctx;
  if (subscription.status !== "trialing" || !subscription.trial_end) return skip(`subscription ${subscription.id} is ${subscription.status}, not trialing`);
  const plan = await planOf(deps.db, subscription.id);
  const { to, locale, timeZone, base } = toCustomer(ctx.organization, ctx.customer);
  return {
    template: "trial-ending",
    to,
    locale,
    timeZone,
    // A trial extended to another end date gets its reminders again.
    idempotencyKey: emailKey("trial-ending", subscription.id, `${payload.daysLeft}d@${iso(subscription.trial_end)}`),
    props: {
      ...base,
      daysLeft: payload.daysLeft,
      trialEndsAt: iso(subscription.trial_end),
      planName: plan.name,
      price: { amount: plan.unit_amount * plan.quantity, currency: plan.currency },
      interval: plan.interval,
      manageUrl: deps.links.manageSubscription(subscription.id),
    },
  };
}
