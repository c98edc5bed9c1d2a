import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isDomainError, silentLogger, TestClock } from "@paycron/core";
import { buildSampleStripeEvent, type Stripe } from "@paycron/stripe";
import type { StripeEmulator } from "@paycron/stripe-emulator";
import { useTestDb } from "@paycron/db/testing";
import { recordDispute, recordRefund } from "../src/index.ts";
import { emittedEvents, linkedCustomer, paidInvoice, storedEvent, stripeOnClock } from "./stripe-sync-support.ts";

const t = useTestDb();
const clock = new TestClock("2027-02-01T09:00:00Z");
let emulator: StripeEmulator;
let stripe: Stripe;
const deps = () => ({ db: t.db, clock, logger: silentLogger() });

beforeAll(async () => ({ emulator, stripe } = await stripeOnClock(clock)));
afterAll(() => emulator?.stop());

/** A card charge at Stripe and, here, the paid invoice and payment it settled. */
async function paidCharge(amount: number, options: { chargeIdKnown?: boolean; status?: "succeeded" | "processing" } = {}) {
  const stripeCustomer = await stripe.customers.create({ email: "ada@example.test" });
  const intent = await stripe.paymentIntents.create({ amount, currency: "usd", customer: stripeCustomer.id, payment_method: "pm_card_visa", confirm: true });
  const chargeId = intent.latest_charge as string;
  const { organizationId, customerId } = await linkedCustomer(t.db, stripeCustomer.id);
  const rows = await paidInvoice(t.db, {
    organizationId,
    customerId,
    amount,
    paymentIntentId: intent.id,
    chargeId: options.chargeIdKnown === false ? null : chargeId,
    status: options.status,
  });
  return { ...rows, chargeId, paymentIntentId: intent.id };
}

/** Refunds `amount` at Stripe; returns its `charge.refunded` event (cumulative amount_refunded). */
async function refund(chargeId: string, amount?: number) {
  clock.advance(60_000);
  const before = emittedEvents(emulator, "charge.refunded").length;
  await stripe.refunds.create({ charge: chargeId, ...(amount === undefined ? {} : { amount }) });
  return storedEvent(emittedEvents(emulator, "charge.refunded")[before]!, clock.now());
}

const paymentOf = (id: string) =>
  t.db.selectFrom("payments").select(["status", "amount_refunded", "stripe_charge_id", "stripe_dispute_id", "disputed_at"]).where("id", "=", id).executeTakeFirstOrThrow();
const invoiceOf = (id: string) =>
  t.db.selectFrom("invoices").select(["status", "total", "amount_paid", "amount_refunded", "amount_due", "disputed_at"]).where("id", "=", id).executeTakeFirstOrThrow();

describe("recordRefund", () => {
  it("moves the refunded amount from the invoice's amount_paid to its amount_refunded; the invoice stays paid", async () => {
    const c = await paidCharge(4900);

    expect(await recordRefund(deps(), { event: await refund(c.chargeId, 1000) })).toBe("processed");

    expect(await paymentOf(c.paymentId)).toMatchObject({ status: "succeeded", amount_refunded: 1000 });
    expect(await invoiceOf(c.invoiceId)).toMatchObject({ status: "paid", total: 4900, amount_paid: 3900, amount_refunded: 1000, amount_due: 0 });
  });

  it("a full refund makes the payment refunded", async () => {
    const c = await paidCharge(4900);
    await recordRefund(deps(), { event: await refund(c.chargeId, 900) });

    expect(await recordRefund(deps(), { event: await refund(c.chargeId) })).toBe("processed");

    expect(await paymentOf(c.paymentId)).toMatchObject({ status: "refunded", amount_refunded: 4900 });
    expect(await invoiceOf(c.invoiceId)).toMatchObject({ status: "paid", amount_paid: 0, amount_refunded: 4900, amount_due: 0 });
  });

  it("an older cumulative amount delivered after a newer one does not lower it", async () => {
    const c = await paidCharge(4900);
    const first = await refund(c.chargeId, 1000);
    const second = await refund(c.chargeId, 1500);

    expect(await recordRefund(deps(), { event: second })).toBe("processed");
    expect(await recordRefund(deps(), { event: first })).toBe("processed");

    expect(await paymentOf(c.paymentId)).toMatchObject({ amount_refunded: 2500 });
    expect(await invoiceOf(c.invoiceId)).toMatchObject({ amount_paid: 2400, amount_refunded: 2500, amount_due: 0 });
  });

  it("a duplicate delivery changes nothing", async () => {
    const c = await paidCharge(4900);
    const event = await refund(c.chargeId, 1000);
    await recordRefund(deps(), { event });

    expect(await recordRefund(deps(), { event })).toBe("processed");

    expect(await paymentOf(c.paymentId)).toMatchObject({ amount_refunded: 1000 });
    expect(await invoiceOf(c.invoiceId)).toMatchObject({ amount_paid: 3900, amount_refunded: 1000 });
  });

  it("finds the payment by its PaymentIntent when the charge id was never recorded, and records it", async () => {
    const c = await paidCharge(4900, { chargeIdKnown: false });

    expect(await recordRefund(deps(), { event: await refund(c.chargeId, 700) })).toBe("processed");

    expect(await paymentOf(c.paymentId)).toMatchObject({ amount_refunded: 700, stripe_charge_id: c.chargeId });
  });

  it("ignores a charge no payment of ours made", async () => {
    const stranger = await stripe.customers.create({ email: "stranger@example.test" });
    const intent = await stripe.paymentIntents.create({ amount: 1000, currency: "usd", customer: stranger.id, payment_method: "pm_card_visa", confirm: true });

    expect(await recordRefund(deps(), { event: await refund(intent.latest_charge as string) })).toEqual({ ignored: "unknown charge" });
  });

  it("fails, retryably and without writing, for a payment whose success is not recorded yet", async () => {
    const c = await paidCharge(4900, { status: "processing" });

    const error = await recordRefund(deps(), { event: await refund(c.chargeId, 1000) }).catch((e: unknown) => e);

    expect(isDomainError(error, "refund_before_payment_settled")).toBe(true);
    expect((error as { retryable: boolean }).retryable).toBe(true);
    expect(await paymentOf(c.paymentId)).toMatchObject({ status: "processing", amount_refunded: 0 });
    expect(await invoiceOf(c.invoiceId)).toMatchObject({ amount_paid: 0, amount_refunded: 0 });
  });

  it("refuses a refunded amount larger than the payment, not retryably", async () => {
    const c = await paidCharge(4900);
    await t.db.updateTable("payments").set({ amount: 1000 }).where("id", "=", c.paymentId).execute();

    const error = await recordRefund(deps(), { event: await refund(c.chargeId) }).catch((e: unknown) => e);

    expect(isDomainError(error, "refund_exceeds_payment")).toBe(true);
    expect((error as { retryable: boolean }).retryable).toBe(false);
    expect(await paymentOf(c.paymentId)).toMatchObject({ amount_refunded: 0 });
  });

  it("refuses an event whose object is not a charge", async () => {
    const c = await paidCharge(4900);
    const event = await refund(c.chargeId, 100);
    (event.payload as { data: { object: { object: string } } }).data.object.object = "refund";

    const error = await recordRefund(deps(), { event }).catch((e: unknown) => e);

    expect(isDomainError(error, "stripe_event_malformed")).toBe(true);
    expect(await paymentOf(c.paymentId)).toMatchObject({ amount_refunded: 0 });
  });
});

/** The emulator has no disputes: the event is Stripe's own dispute fixture, on a real emulator charge. */
function disputeEvent(c: { chargeId: string; paymentIntentId: string }, id: string, openedAt: Date) {
  const created = openedAt.getTime() / 1000;
  const event = buildSampleStripeEvent("charge.dispute.created", { clock, amount: 4900, object: { id, charge: c.chargeId, payment_intent: c.paymentIntentId, created } });
  return storedEvent(event as Parameters<typeof storedEvent>[0], clock.now());
}

describe("recordDispute", () => {
  it("records the dispute on the payment and flags its invoice; a duplicate changes nothing", async () => {
    const c = await paidCharge(4900);
    const openedAt = new Date("2027-02-01T10:00:00Z");
    const event = disputeEvent(c, "dp_first", openedAt);

    expect(await recordDispute(deps(), { event })).toBe("processed");
    expect(await recordDispute(deps(), { event })).toBe("processed");

    expect(await paymentOf(c.paymentId)).toMatchObject({ status: "succeeded", stripe_dispute_id: "dp_first", disputed_at: openedAt });
    expect(await invoiceOf(c.invoiceId)).toMatchObject({ status: "paid", amount_paid: 4900, disputed_at: openedAt });
    // The organization's notice, once for the dispute, with what only the event knows.
    const notices = await t.db.selectFrom("task_outbox").select("payload").where("task_id", "=", "notifications-org-dispute-opened").where("payload", "@>", JSON.stringify({ paymentId: c.paymentId })).execute();
    expect(notices).toEqual([{ payload: { paymentId: c.paymentId, disputeId: "dp_first", reason: expect.any(String), amount: 4900, currency: expect.stringMatching(/^usd$/i), evidenceDueBy: expect.any(String) } }]);
  });

  it("keeps the latest of two disputes on one payment, whatever order they arrive in", async () => {
    const c = await paidCharge(4900);
    const older = disputeEvent(c, "dp_older", new Date("2027-02-01T10:00:00Z"));
    const newer = disputeEvent(c, "dp_newer", new Date("2027-02-03T10:00:00Z"));

    await recordDispute(deps(), { event: older });
    expect(await recordDispute(deps(), { event: newer })).toBe("processed");
    expect(await paymentOf(c.paymentId)).toMatchObject({ stripe_dispute_id: "dp_newer", disputed_at: new Date("2027-02-03T10:00:00Z") });

    expect(await recordDispute(deps(), { event: older })).toBe("processed");
    expect(await paymentOf(c.paymentId)).toMatchObject({ stripe_dispute_id: "dp_newer", disputed_at: new Date("2027-02-03T10:00:00Z") });
    expect(await invoiceOf(c.invoiceId)).toMatchObject({ disputed_at: new Date("2027-02-03T10:00:00Z") });
  });

  it("finds the payment by its PaymentIntent when the charge id was never recorded", async () => {
    const c = await paidCharge(4900, { chargeIdKnown: false });

    expect(await recordDispute(deps(), { event: disputeEvent(c, "dp_by_intent", clock.now()) })).toBe("processed");

    expect(await paymentOf(c.paymentId)).toMatchObject({ stripe_dispute_id: "dp_by_intent", stripe_charge_id: c.chargeId });
  });

  it("ignores a charge no payment of ours made", async () => {
    const event = disputeEvent({ chargeId: "ch_unknown", paymentIntentId: "pi_unknown" }, "dp_stranger", clock.now());

    expect(await recordDispute(deps(), { event })).toEqual({ ignored: "unknown charge" });
  });
});
