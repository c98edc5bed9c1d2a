import { describe, expect, it } from "vitest";
import { silentLogger } from "@paycron/core";
import { welcomeCustomer } from "@paycron/billing";
import { createPrice } from "@paycron/db/testing";
import { appLinks } from "@paycron/email/transport";
import { sendNotification, type NotificationDeps, type NotificationResult } from "@paycron/notifications";
import { addPeriod, addStaticItem, addUsage, addUsageItem, billedSubscription } from "../../packages/billing/test/invoices-fixtures.ts";
import { activeSubscription, chargeOnSession, renewalRun, replaceDefaultMethod } from "../billing/outcomes-support.ts";
import { DAY_MS, useBilling } from "../billing/support.ts";
import { TEST_APP_URL } from "../support/document-providers.ts";

/*
 * Each notification task's email, from the rows it names: whom it goes to, in the customer's
 * language, with what is true when it runs; skipped when it no longer applies.
 */
const h = useBilling();
const deps = (): NotificationDeps => ({ db: h.db, clock: h.clock, logger: silentLogger(), email: h.documents.email, storage: h.documents.storage, links: appLinks(TEST_APP_URL) });

async function sent(result: NotificationResult) {
  if (result.outcome !== "sent") throw new Error(`expected an email, got ${JSON.stringify(result)}`);
  return h.db.selectFrom("email_deliveries").selectAll().where("id", "=", result.deliveryId).executeTakeFirstOrThrow();
}

describe("customer emails", () => {
  it("payment-action-required: enqueued when a payment stops for 3-D Secure, in the customer's language, with the link to authenticate", async () => {
    const sub = await activeSubscription(h);
    await h.db.updateTable("customers").set({ locale: "fr-FR" }).where("id", "=", sub.customerId).execute();
    const card = await replaceDefaultMethod(h, sub, "pm_card_authenticationRequired");
    const renewal = await renewalRun(h, sub.subscriptionId);
    await chargeOnSession(h, sub, renewal.billingRunId, card.stripeId, card.id);
    const payment = await h.db.selectFrom("payments").selectAll().where("billing_run_id", "=", renewal.billingRunId).executeTakeFirstOrThrow();
    expect(payment.status).toBe("requires_action");
    const enqueued = await h.db.selectFrom("task_outbox").select("payload").where("task_id", "=", "notifications-payment-action-required").where("payload", "@>", JSON.stringify({ paymentId: payment.id })).execute();
    expect(enqueued).toHaveLength(1);

    const email = await sent(await sendNotification(deps(), "notifications-payment-action-required", { paymentId: payment.id }));
    expect(email.subject).toMatch(/authentifi|confirm/i);
    expect(email.text).toContain("49,00");
    expect(email.html).toContain(`${TEST_APP_URL}/billing/payments/${payment.id}/authenticate`);
  });

  it("welcome now and the follow-up 24 hours after sign-up, from Supabase's customers INSERT, once however often it is delivered", async () => {
    const sub = await activeSubscription(h);
    const { created_at } = await h.db.selectFrom("customers").select("created_at").where("id", "=", sub.customerId).executeTakeFirstOrThrow();
    const event = { id: "evt", payload: { type: "INSERT", table: "customers", schema: "public", record: { id: sub.customerId } } };
    expect(await welcomeCustomer(h.deps, { event })).toBe("processed");
    expect(await welcomeCustomer(h.deps, { event })).toBe("processed");
    const rows = await h.db.selectFrom("task_outbox").select(["task_id", "available_at"]).where("task_id", "in", ["notifications-welcome", "notifications-signup-follow-up"]).where("payload", "@>", JSON.stringify({ customerId: sub.customerId })).orderBy("task_id").execute();
    expect(rows).toEqual([
      { task_id: "notifications-signup-follow-up", available_at: new Date(created_at.getTime() + DAY_MS) },
      { task_id: "notifications-welcome", available_at: expect.any(Date) },
    ]);
    expect(await welcomeCustomer(h.deps, { event: { ...event, payload: { ...event.payload, record: { id: "00000000-0000-4000-8000-00000000dead" } } } })).toEqual({ ignored: expect.stringContaining("no customer") });

    const welcome = await sent(await sendNotification(deps(), "notifications-welcome", { customerId: sub.customerId }));
    expect(welcome.html).toContain(`${TEST_APP_URL}/billing/customers/${sub.customerId}`);
    expect((await sent(await sendNotification(deps(), "notifications-signup-follow-up", { customerId: sub.customerId }))).template).toBe("signup-follow-up");
  });

  it("trial-ending, cancellation-scheduled and plan-changed read the subscription as it is; each occurrence is its own key", async () => {
    const sub = await activeSubscription(h);
    const trialEnd = new Date(h.clock.now().getTime() + 3 * DAY_MS);
    await h.db.updateTable("subscriptions").set({ status: "trialing", trial_end: trialEnd }).where("id", "=", sub.subscriptionId).execute();
    const threeDays = await sent(await sendNotification(deps(), "notifications-trial-ending", { subscriptionId: sub.subscriptionId, daysLeft: 3 }));
    const oneDay = await sent(await sendNotification(deps(), "notifications-trial-ending", { subscriptionId: sub.subscriptionId, daysLeft: 1 }));
    expect(threeDays.idempotency_key).not.toBe(oneDay.idempotency_key);
    expect(threeDays.text).toContain(new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone: "UTC" }).format(trialEnd));

    await h.db.updateTable("subscriptions").set({ status: "active", cancel_at_period_end: true }).where("id", "=", sub.subscriptionId).execute();
    expect((await sent(await sendNotification(deps(), "notifications-cancellation-scheduled", { subscriptionId: sub.subscriptionId }))).subject).toMatch(/Pro subscription will end/);
    // Not trialing any more: a late reminder is skipped.
    expect(await sendNotification(deps(), "notifications-trial-ending", { subscriptionId: sub.subscriptionId, daysLeft: 0 })).toMatchObject({ outcome: "skipped" });

    const team = await createPrice(h.db, { organization_id: sub.organizationId, name: "Team", unit_amount: 19_900 });
    const changed = await sent(
      await sendNotification(deps(), "notifications-plan-changed", { subscriptionId: sub.subscriptionId, fromPriceId: sub.priceId, toPriceId: team.id, effectiveAt: h.clock.now().toISOString() }),
    );
    expect(changed.text).toContain("Team");
    expect(changed.text).toContain("$199.00");
  });

  it("usage-threshold and usage-limit-reached: the period's usage against the plan's allowance", async () => {
    const billed = await billedSubscription(h.db);
    await addStaticItem(h.db, billed, { name: "Pro", unitAmount: 4900 });
    const { meterId } = await addUsageItem(h.db, billed, { meter: "API calls", aggregation: "sum", unitAmount: 1, included: 1000 });
    const period = await addPeriod(h.db, billed.subscriptionId, "2027-01-01T00:00:00Z", "2027-02-01T00:00:00Z");
    await addUsage(h.db, { meterId, customerId: billed.customerId, subscriptionId: billed.subscriptionId, quantity: 850, at: "2027-01-10T00:00:00Z" });

    const threshold = await sent(await sendNotification(deps(), "notifications-usage-threshold", { subscriptionId: billed.subscriptionId, meterId, billingPeriodId: period, thresholdPercent: 80 }));
    expect(threshold.text).toMatch(/850/);
    expect(threshold.text).toMatch(/1,000/);
    const limit = await sent(await sendNotification(deps(), "notifications-usage-limit-reached", { subscriptionId: billed.subscriptionId, meterId, billingPeriodId: period }));
    expect(limit.template).toBe("usage-limit-reached");
  });
});

describe("organization emails", () => {
  it("org-dispute-opened carries the event's facts; an organization without a billing email gets none", async () => {
    const sub = await activeSubscription(h, { organization: { billing_email: "finance@acme.example" } });
    const payment = await h.db.selectFrom("payments").select("id").where("customer_id", "=", sub.customerId).executeTakeFirstOrThrow();
    const payload = { paymentId: payment.id, disputeId: "dp_1", reason: "fraudulent", amount: 4900, currency: "usd", evidenceDueBy: "2027-02-01T00:00:00.000Z" };
    const dispute = await sent(await sendNotification(deps(), "notifications-org-dispute-opened", payload));
    expect(dispute.recipient).toBe("finance@acme.example");
    expect(dispute.text).toContain("fraudulent");

    const quiet = await activeSubscription(h);
    const other = await h.db.selectFrom("payments").select("id").where("customer_id", "=", quiet.customerId).executeTakeFirstOrThrow();
    expect(await sendNotification(deps(), "notifications-org-dispute-opened", { ...payload, paymentId: other.id })).toEqual({ outcome: "skipped", reason: expect.stringContaining("no billing_email") });
  });

  it("a payload naming a row that does not exist fails for good, naming it", async () => {
    const error = await sendNotification(deps(), "notifications-welcome", { customerId: "00000000-0000-4000-8000-00000000dead" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "notification_subject_not_found", retryable: false, message: expect.stringContaining("00000000-0000-4000-8000-00000000dead") });
  });
});
