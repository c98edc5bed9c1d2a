import { describe, expect, it } from "vitest";
import { silentLogger } from "@paycron/core";
import { executeBillingRun } from "@paycron/billing";
import { appLinks } from "@paycron/email/transport";
import { sendNotification, type NotificationDeps, type NotificationTaskId } from "@paycron/notifications";
import { activeSubscription, deliver, eventOf, renewalRun, replaceDefaultMethod } from "../billing/outcomes-support.ts";
import { paymentIntentsOf, stateOf, useBilling } from "../billing/support.ts";
import { TEST_APP_URL } from "../support/document-providers.ts";

/*
 * The emails the dunning ladder calls for: enqueued by the billing code in the transaction of the
 * decline (one per occurrence, whatever redelivers it), sent by the notification tasks' function
 * from what is true when they run.
 */
const h = useBilling();
const deps = (): NotificationDeps => ({ db: h.db, clock: h.clock, logger: silentLogger(), email: h.documents.email, storage: h.documents.storage, links: appLinks(TEST_APP_URL) });
const ORG = { name: "Acme", billing_email: "finance@acme.example", dunning_retry_days: [3, 5] };

async function outbox(taskId: NotificationTaskId, payload: Record<string, string>) {
  return h.db.selectFrom("task_outbox").select(["payload", "available_at"]).where("task_id", "=", taskId).where("payload", "@>", JSON.stringify(payload)).execute();
}

async function declinedRenewal() {
  const sub = await activeSubscription(h, { organization: ORG });
  await replaceDefaultMethod(h, sub, "pm_card_chargeCustomerFail");
  const renewal = await renewalRun(h, sub.subscriptionId);
  await executeBillingRun(h.deps, { billingRunId: renewal.billingRunId });
  const { payments } = await stateOf(h, sub.subscriptionId);
  return { sub, renewal, payment: payments.at(-1)! };
}

const delivery = (id: string) => h.db.selectFrom("email_deliveries").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

describe("a declined renewal's emails", () => {
  it("tell the customer when the next attempt is and where to update the card, and the organization which attempt failed and why: each enqueued once, sent once", async () => {
    const { sub, renewal, payment } = await declinedRenewal();
    expect(payment.status).toBe("failed");

    // Stripe redelivers the decline: the same occurrence, nothing more enqueued.
    const [pi] = paymentIntentsOf(h, renewal.billingRunId);
    await deliver(h, eventOf(h, pi!.id, "payment_intent.payment_failed"));
    expect(await outbox("notifications-payment-failed", { paymentId: payment.id })).toHaveLength(1);
    expect(await outbox("notifications-org-payment-failed", { paymentId: payment.id })).toHaveLength(1);

    const customer = await sendNotification(deps(), "notifications-payment-failed", { paymentId: payment.id });
    const organization = await sendNotification(deps(), "notifications-org-payment-failed", { paymentId: payment.id });
    expect(customer).toMatchObject({ outcome: "sent", template: "payment-failed", idempotencyKey: `email:payment-failed:${payment.id}:failed` });
    expect(organization).toMatchObject({ outcome: "sent", template: "org-payment-failed" });
    if (customer.outcome !== "sent" || organization.outcome !== "sent") throw new Error("not sent");

    const toCustomer = await delivery(customer.deliveryId);
    const { runs } = await stateOf(h, sub.subscriptionId);
    const next = runs.find((r) => r.billing_period_id === renewal.billingPeriodId && r.attempt === 2)!;
    expect(toCustomer.text).toContain("$49.00");
    expect(toCustomer.text).toContain(new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone: "UTC" }).format(next.scheduled_for));
    expect(toCustomer.html).toContain(`${TEST_APP_URL}/billing/customers/${payment.customer_id}/payment-method`);
    const toOrganization = await delivery(organization.deliveryId);
    expect(toOrganization.recipient).toBe("finance@acme.example");
    expect(toOrganization.text).toMatch(/attempt 1|1st attempt|Attempt 1/i);
    expect(toOrganization.text).toContain(payment.failure_message);

    // The task runs again (a retry, a duplicate run): nothing is sent twice.
    expect(await sendNotification(deps(), "notifications-payment-failed", { paymentId: payment.id })).toMatchObject({ outcome: "already_sent" });
    expect(await h.db.selectFrom("email_deliveries").select("id").where("idempotency_key", "=", customer.idempotencyKey).execute()).toHaveLength(1);
  });

  it("are skipped when, by the time they run, the invoice got paid", async () => {
    const { sub, renewal, payment } = await declinedRenewal();
    await replaceDefaultMethod(h, sub, "pm_card_visa");
    const { runs } = await stateOf(h, sub.subscriptionId);
    const attempt2 = runs.find((r) => r.billing_period_id === renewal.billingPeriodId && r.attempt === 2)!;
    h.clock.set(attempt2.scheduled_for);
    expect(await executeBillingRun(h.deps, { billingRunId: attempt2.id })).toMatchObject({ paymentStatus: "succeeded" });

    expect(await sendNotification(deps(), "notifications-payment-failed", { paymentId: payment.id })).toEqual({ outcome: "skipped", reason: expect.stringContaining("nothing left to collect") });
    expect(await sendNotification(deps(), "notifications-org-payment-failed", { paymentId: payment.id })).toMatchObject({ outcome: "skipped" });
  });

  it("the ladder's end: the organization hears it is exhausted and the customer that the subscription was canceled", async () => {
    const sub = await activeSubscription(h, { organization: { ...ORG, dunning_retry_days: [1], dunning_final_action: "cancel" } });
    await replaceDefaultMethod(h, sub, "pm_card_chargeCustomerFail");
    const renewal = await renewalRun(h, sub.subscriptionId);
    await executeBillingRun(h.deps, { billingRunId: renewal.billingRunId });
    const { runs } = await stateOf(h, sub.subscriptionId);
    const last = runs.find((r) => r.billing_period_id === renewal.billingPeriodId && r.attempt === 2)!;
    h.clock.set(last.scheduled_for);
    await executeBillingRun(h.deps, { billingRunId: last.id });
    const { invoices, subscription, payments } = await stateOf(h, sub.subscriptionId);
    const invoice = invoices.at(-1)!;
    expect([invoice.status, subscription.status]).toEqual(["uncollectible", "canceled"]);
    // The last failure has no next attempt: its payment-failed emails are skipped, the exhaustion told instead.
    expect(await sendNotification(deps(), "notifications-payment-failed", { paymentId: payments.at(-1)!.id })).toMatchObject({ outcome: "skipped" });

    expect(await outbox("notifications-org-dunning-exhausted", { invoiceId: invoice.id })).toHaveLength(1);
    expect(await outbox("notifications-subscription-canceled", { subscriptionId: sub.subscriptionId })).toHaveLength(1);
    const exhausted = await sendNotification(deps(), "notifications-org-dunning-exhausted", { invoiceId: invoice.id });
    const canceled = await sendNotification(deps(), "notifications-subscription-canceled", { subscriptionId: sub.subscriptionId });
    if (exhausted.outcome !== "sent" || canceled.outcome !== "sent") throw new Error(`not sent: ${JSON.stringify([exhausted, canceled])}`);
    expect((await delivery(exhausted.deliveryId)).text).toMatch(/2 attempts|2 tentatives|attempts: 2/i);
    expect((await delivery(canceled.deliveryId)).subject).toMatch(/cancel/i);
  });
});
