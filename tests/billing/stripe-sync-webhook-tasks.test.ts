import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClock } from "@paycron/core";
import { createCustomer, createOrganization, createSubscription, useTestDb } from "@paycron/db/testing";
import { createWebhookInbox, recordStripeEvent } from "@paycron/inbox";
import { runUntilIdle } from "@paycron/local-engine/testing";
import { createLocalStripeClient, type Stripe } from "@paycron/stripe";
import { startStripeEmulator, type StripeEmulator } from "@paycron/stripe-emulator";

/*
 * A Stripe event as the webhook app stores it, run by its real task from trigger/ on the local
 * engine, the Stripe provider being the SDK pointed at the emulator.
 */
const t = useTestDb();
const clock = new TestClock("2027-02-01T09:00:00Z");
let emulator: StripeEmulator;
let stripe: Stripe;

beforeAll(async () => {
  emulator = await startStripeEmulator({ clock });
  stripe = createLocalStripeClient(emulator.url);
});
afterAll(() => emulator?.stop());

const drain = () => runUntilIdle({ db: t.db, connectionString: t.url, clock, providers: { stripe: () => stripe } });

/** Stores the emulator's latest event of `type` in the inbox, as a verified delivery would be. */
async function deliverLatest(type: string) {
  const event = emulator.events().findLast((e) => e.type === type) as { id: string; type: string } & Record<string, unknown>;
  return recordStripeEvent(createWebhookInbox(t.db, clock), event);
}

const stored = (id: string) => t.db.selectFrom("webhook_events").select(["status", "error"]).where("id", "=", id).executeTakeFirstOrThrow();

async function stripeLinkedCustomer() {
  const stripeCustomer = await stripe.customers.create({ email: "ada@example.test" });
  const organization = await createOrganization(t.db);
  const customer = await createCustomer(t.db, { organization_id: organization.id, stripe_customer_id: stripeCustomer.id });
  return { stripeCustomerId: stripeCustomer.id, organizationId: organization.id, customerId: customer.id };
}

describe("Stripe sync webhook tasks", () => {
  it("stripe-setup-intent-succeeded saves the card as the subscription's default and settles the event processed", async () => {
    const c = await stripeLinkedCustomer();
    const subscription = await createSubscription(t.db, { organization_id: c.organizationId, customer_id: c.customerId });
    const setupIntent = await stripe.setupIntents.create({ customer: c.stripeCustomerId, payment_method: "pm_card_visa", confirm: true });
    const recorded = await deliverLatest("setup_intent.succeeded");
    expect(recorded.taskId).toBe("stripe-setup-intent-succeeded");

    await drain();

    expect(await stored(recorded.id)).toEqual({ status: "processed", error: null });
    const method = await t.db.selectFrom("payment_methods").selectAll().where("stripe_payment_method_id", "=", setupIntent.payment_method as string).executeTakeFirstOrThrow();
    expect(method).toMatchObject({ customer_id: c.customerId, is_default: true, last4: "4242" });
    const sub = await t.db.selectFrom("subscriptions").select("default_payment_method_id").where("id", "=", subscription.id).executeTakeFirstOrThrow();
    expect(sub.default_payment_method_id).toBe(method.id);
  });

  it("stripe-charge-refunded records the refund on the payment and its invoice and settles the event processed", async () => {
    const c = await stripeLinkedCustomer();
    const intent = await stripe.paymentIntents.create({ amount: 4900, currency: "usd", customer: c.stripeCustomerId, payment_method: "pm_card_visa", confirm: true });
    const at = new Date("2027-02-01T09:00:00Z");
    const invoice = await t.db
      .insertInto("invoices")
      .values({ organization_id: c.organizationId, customer_id: c.customerId, number: "INV-E2E-1", status: "paid", currency: "USD", subtotal: 4900, total: 4900, amount_paid: 4900, amount_due: 0, issued_at: at, paid_at: at })
      .returning("id")
      .executeTakeFirstOrThrow();
    const payment = await t.db
      .insertInto("payments")
      .values({ invoice_id: invoice.id, customer_id: c.customerId, amount: 4900, currency: "USD", status: "succeeded", stripe_payment_intent_id: intent.id, settled_at: at })
      .returning("id")
      .executeTakeFirstOrThrow();
    await stripe.refunds.create({ payment_intent: intent.id, amount: 1200 });
    const recorded = await deliverLatest("charge.refunded");

    await drain();

    expect(await stored(recorded.id)).toEqual({ status: "processed", error: null });
    expect(await t.db.selectFrom("payments").select(["amount_refunded", "stripe_charge_id"]).where("id", "=", payment.id).executeTakeFirstOrThrow()).toEqual({
      amount_refunded: 1200,
      stripe_charge_id: intent.latest_charge,
    });
    expect(await t.db.selectFrom("invoices").select(["status", "amount_paid", "amount_refunded", "amount_due"]).where("id", "=", invoice.id).executeTakeFirstOrThrow()).toEqual({
      status: "paid",
      amount_paid: 3700,
      amount_refunded: 1200,
      amount_due: 0,
    });
  });
});
