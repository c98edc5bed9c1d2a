import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger, TestClock } from "@paycron/core";
import type { SubscriptionStatus } from "@paycron/db";
import { createPaymentMethod, createSubscription, useTestDb, waitFor } from "@paycron/db/testing";
import type { Stripe } from "@paycron/stripe";
import type { StripeEmulator } from "@paycron/stripe-emulator";
import { detachPaymentMethod, syncSetupIntent } from "../src/index.ts";
import { emittedEvents, linkedCustomer, storedEvent, stripeOnClock } from "./stripe-sync-support.ts";

const t = useTestDb();
const clock = new TestClock("2027-02-01T09:00:00Z");
let emulator: StripeEmulator;
let stripe: Stripe;
const deps = () => ({ db: t.db, clock, logger: silentLogger(), stripe });

beforeAll(async () => ({ emulator, stripe } = await stripeOnClock(clock)));
afterAll(() => emulator?.stop());

/** A Stripe customer, ours too, with an older default card and subscriptions in `statuses`. */
async function customerWithSubscriptions(statuses: SubscriptionStatus[]) {
  const stripeCustomer = await stripe.customers.create({ email: "ada@example.test" });
  const { organizationId, customerId } = await linkedCustomer(t.db, stripeCustomer.id);
  const oldDefault = await createPaymentMethod(t.db, { customer_id: customerId });
  const subscriptions: Record<string, string> = {};
  for (const status of statuses) {
    const sub = await createSubscription(t.db, {
      organization_id: organizationId,
      customer_id: customerId,
      status,
      canceled_at: status === "canceled" ? clock.now() : null,
      default_payment_method_id: oldDefault.id,
    });
    subscriptions[status] = sub.id;
  }
  return { stripeCustomerId: stripeCustomer.id, customerId, oldDefaultId: oldDefault.id, subscriptions };
}

/** Saves a card at Stripe (setup intent confirmed with a test card); returns its event and method id. */
async function saveCard(stripeCustomerId: string, card = "pm_card_visa") {
  const before = emittedEvents(emulator, "setup_intent.succeeded").length;
  const setupIntent = await stripe.setupIntents.create({ customer: stripeCustomerId, payment_method: card, confirm: true });
  const event = emittedEvents(emulator, "setup_intent.succeeded")[before]!;
  expect(event.data).toMatchObject({ object: { id: setupIntent.id } });
  return { event: storedEvent(event, clock.now()), stripePaymentMethodId: setupIntent.payment_method as string };
}

async function detachAtStripe(stripePaymentMethodId: string) {
  await stripe.paymentMethods.detach(stripePaymentMethodId);
  const event = emittedEvents(emulator, "payment_method.detached").find((e) => (e.data as { object: { id: string } }).object.id === stripePaymentMethodId)!;
  return storedEvent(event, clock.now());
}

const methodsOf = (customerId: string) =>
  t.db
    .selectFrom("payment_methods")
    .select(["id", "stripe_payment_method_id", "type", "brand", "last4", "exp_month", "exp_year", "is_default", "detached_at"])
    .where("customer_id", "=", customerId)
    .orderBy("created_at")
    .execute();

const methodRow = (stripePaymentMethodId: string) =>
  t.db.selectFrom("payment_methods").selectAll().where("stripe_payment_method_id", "=", stripePaymentMethodId).executeTakeFirst();

const subscriptionMethods = (id: string) =>
  t.db.selectFrom("subscriptions").select(["default_payment_method_id", "backup_payment_method_id"]).where("id", "=", id).executeTakeFirstOrThrow();

/**
 * Runs `calls` while another transaction holds the customer's row, and lets go only once `waiting`
 * of them wait on it: each has read Stripe and opened its transaction by then, so they truly race.
 */
async function whileCustomerLocked<T>(customerId: string, waiting: number, calls: () => Promise<T>): Promise<T> {
  let release!: () => void;
  let locked!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const lockTaken = new Promise<void>((r) => (locked = r));
  const holder = t.db.transaction().execute(async (tx) => {
    await tx.selectFrom("customers").select("id").where("id", "=", customerId).forUpdate().execute();
    locked();
    await held;
  });
  await lockTaken;
  const results = calls();
  try {
    await waitFor(async () => {
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(t.db);
      return rows[0]!.n >= waiting;
    }, `${waiting} syncs waiting on the customer row`);
  } finally {
    release();
    await holder;
  }
  return results;
}

describe("syncSetupIntent", () => {
  it("saves the card, makes it the customer's only default and the default of their live subscriptions", async () => {
    const c = await customerWithSubscriptions(["active", "past_due", "trialing", "canceled", "incomplete_expired"]);
    const { event, stripePaymentMethodId } = await saveCard(c.stripeCustomerId);

    expect(await syncSetupIntent(deps(), { event })).toBe("processed");

    const saved = await methodRow(stripePaymentMethodId);
    expect(saved).toMatchObject({ type: "card", brand: "visa", last4: "4242", is_default: true, detached_at: null });
    expect(saved!.exp_month).toBeGreaterThanOrEqual(1);
    expect(saved!.exp_year).toBeGreaterThan(2026);
    expect((await methodsOf(c.customerId)).filter((m) => m.is_default).map((m) => m.id)).toEqual([saved!.id]);
    for (const status of ["active", "past_due", "trialing"]) {
      expect((await subscriptionMethods(c.subscriptions[status]!)).default_payment_method_id).toBe(saved!.id);
    }
    // Ended subscriptions keep what they were charged with.
    for (const status of ["canceled", "incomplete_expired"]) {
      expect((await subscriptionMethods(c.subscriptions[status]!)).default_payment_method_id).toBe(c.oldDefaultId);
    }
  });

  it("changes nothing when the same event is delivered again", async () => {
    const c = await customerWithSubscriptions(["active"]);
    const { event } = await saveCard(c.stripeCustomerId);
    expect(await syncSetupIntent(deps(), { event })).toBe("processed");
    const before = { methods: await methodsOf(c.customerId), sub: await subscriptionMethods(c.subscriptions.active!) };

    expect(await syncSetupIntent(deps(), { event })).toBe("processed");

    expect({ methods: await methodsOf(c.customerId), sub: await subscriptionMethods(c.subscriptions.active!) }).toEqual(before);
  });

  it("queues two cards of one customer saved at the same time behind the customer's row: exactly one default", async () => {
    const c = await customerWithSubscriptions(["active"]);
    const first = await saveCard(c.stripeCustomerId);
    const second = await saveCard(c.stripeCustomerId, "pm_card_mastercard");

    const outcomes = await whileCustomerLocked(c.customerId, 2, () =>
      Promise.all([syncSetupIntent(deps(), { event: first.event }), syncSetupIntent(deps(), { event: second.event })]),
    );

    expect(outcomes).toEqual(["processed", "processed"]);
    const defaults = (await methodsOf(c.customerId)).filter((m) => m.is_default);
    expect(defaults).toHaveLength(1);
    expect((await subscriptionMethods(c.subscriptions.active!)).default_payment_method_id).toBe(defaults[0]!.id);
  });

  it("ignores a customer it does not know, and writes nothing", async () => {
    const stranger = await stripe.customers.create({ email: "stranger@example.test" });
    const { event, stripePaymentMethodId } = await saveCard(stranger.id);

    expect(await syncSetupIntent(deps(), { event })).toEqual({ ignored: "unknown customer" });
    expect(await methodRow(stripePaymentMethodId)).toBeUndefined();
  });

  it("does not resurrect a method whose detachment is recorded, though the event says it is attached", async () => {
    const c = await customerWithSubscriptions(["active"]);
    const { event, stripePaymentMethodId } = await saveCard(c.stripeCustomerId);
    // Recorded as detached here while Stripe still has it on the customer: only our row can stop it.
    await createPaymentMethod(t.db, { customer_id: c.customerId, stripe_payment_method_id: stripePaymentMethodId, is_default: false, detached_at: clock.now() });

    expect(await syncSetupIntent(deps(), { event })).toEqual({ ignored: "payment method already detached" });

    expect(await methodRow(stripePaymentMethodId)).toMatchObject({ is_default: false, detached_at: clock.now() });
    expect((await methodsOf(c.customerId)).find((m) => m.id === c.oldDefaultId)!.is_default).toBe(true);
    expect((await subscriptionMethods(c.subscriptions.active!)).default_payment_method_id).toBe(c.oldDefaultId);
  });

  it("does not save a method Stripe has already detached, when its setup event comes late", async () => {
    const c = await customerWithSubscriptions(["active"]);
    const { event, stripePaymentMethodId } = await saveCard(c.stripeCustomerId);
    const detached = await detachAtStripe(stripePaymentMethodId);
    // The detach event came first and found nothing to detach.
    expect(await detachPaymentMethod(deps(), { event: detached })).toEqual({ ignored: "unknown payment method" });

    expect(await syncSetupIntent(deps(), { event })).toEqual({ ignored: "payment method is no longer attached to the customer" });

    expect(await methodRow(stripePaymentMethodId)).toBeUndefined();
    expect((await subscriptionMethods(c.subscriptions.active!)).default_payment_method_id).toBe(c.oldDefaultId);
  });
});

describe("detachPaymentMethod", () => {
  it("marks the default method detached at the event's time and leaves its subscriptions without it", async () => {
    const c = await customerWithSubscriptions(["active", "past_due"]);
    const { event, stripePaymentMethodId } = await saveCard(c.stripeCustomerId);
    await syncSetupIntent(deps(), { event });
    const saved = (await methodRow(stripePaymentMethodId))!;
    await t.db.updateTable("subscriptions").set({ backup_payment_method_id: saved.id }).where("id", "=", c.subscriptions.past_due!).execute();
    clock.advance(3_600_000);
    const detachedAt = clock.now();
    const detached = await detachAtStripe(stripePaymentMethodId);
    clock.advance(60_000);

    expect(await detachPaymentMethod(deps(), { event: detached })).toBe("processed");

    expect(await methodRow(stripePaymentMethodId)).toMatchObject({ is_default: false, detached_at: detachedAt });
    expect(await subscriptionMethods(c.subscriptions.active!)).toEqual({ default_payment_method_id: null, backup_payment_method_id: null });
    expect(await subscriptionMethods(c.subscriptions.past_due!)).toEqual({ default_payment_method_id: null, backup_payment_method_id: null });
    // No other method is promoted: the customer chooses the next one.
    expect((await methodsOf(c.customerId)).filter((m) => m.is_default)).toEqual([]);

    // Redelivered later: the same rows.
    clock.advance(3_600_000);
    expect(await detachPaymentMethod(deps(), { event: detached })).toBe("processed");
    expect((await methodRow(stripePaymentMethodId))!.detached_at).toEqual(detachedAt);
  });

  it("an old setup event processed after the detach does not bring the method back", async () => {
    const c = await customerWithSubscriptions(["active"]);
    const { event, stripePaymentMethodId } = await saveCard(c.stripeCustomerId);
    await syncSetupIntent(deps(), { event });
    await detachPaymentMethod(deps(), { event: await detachAtStripe(stripePaymentMethodId) });

    expect(await syncSetupIntent(deps(), { event })).toMatchObject({ ignored: expect.any(String) });

    expect(await methodRow(stripePaymentMethodId)).toMatchObject({ is_default: false, detached_at: expect.any(Date) });
    expect((await subscriptionMethods(c.subscriptions.active!)).default_payment_method_id).toBeNull();
  });

  it("ignores a method it does not know", async () => {
    const stranger = await stripe.customers.create({ email: "stranger@example.test" });
    const pm = await stripe.paymentMethods.attach("pm_card_visa", { customer: stranger.id });

    expect(await detachPaymentMethod(deps(), { event: await detachAtStripe(pm.id) })).toEqual({ ignored: "unknown payment method" });
  });
});
