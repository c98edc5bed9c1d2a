import { afterEach, describe, expect, it } from "vitest";
import { TestClock } from "@paycron/core";
import { createLocalStripeClient, StripeWebhookError, verifyStripeWebhook } from "@paycron/stripe";
import { startStripeEmulator } from "@paycron/stripe-emulator";
import { START, startReceiver } from "./support.ts";

const SECRET = "whsec_emulator_test";
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function setup(status?: (n: number, body: string) => number | "drop", retryDelaysMs: number[] = [20, 40, 80], enabledEvents?: string[]) {
  const receiver = await startReceiver(status);
  const clock = new TestClock(START);
  const emulator = await startStripeEmulator({
    clock,
    webhook: { url: receiver.url, secret: SECRET, retryDelaysMs, ...(enabledEvents ? { enabledEvents } : {}) },
  });
  cleanups.push(receiver.close, () => emulator.stop());
  return { receiver, clock, emulator, stripe: createLocalStripeClient(emulator.url) };
}

const parse = (body: string) => JSON.parse(body) as { id: string; type: string; created: number; data: { object: { id: string } } };

describe("webhook deliveries", () => {
  it("every event type the billing engine needs is delivered, signed, shaped like Stripe's", async () => {
    const { receiver, clock, emulator, stripe } = await setup();
    const customer = await stripe.customers.create({ email: "w@example.com" });
    await stripe.customers.update(customer.id, { name: "W" });
    const si = await stripe.setupIntents.create({ customer: customer.id, payment_method: "pm_card_visa", confirm: true });
    const paid = await stripe.paymentIntents.create({ amount: 4900, currency: "usd", customer: customer.id, payment_method: si.payment_method as string, confirm: true, off_session: true });
    await stripe.paymentIntents.create({ amount: 4900, currency: "usd", payment_method: "pm_card_chargeDeclinedInsufficientFunds", confirm: true }).catch(() => undefined);
    const action = await stripe.paymentIntents.create({ amount: 4900, currency: "usd", payment_method: "pm_card_authenticationRequired", confirm: true });
    await stripe.paymentIntents.cancel(action.id);
    await stripe.paymentIntents.create({ amount: 4900, currency: "usd", payment_method: "pm_usBankAccount_success", confirm: true });
    await stripe.refunds.create({ payment_intent: paid.id });
    await stripe.paymentMethods.detach(si.payment_method as string);
    await emulator.webhooksIdle();

    const types = receiver.received.map((r) => parse(r.body).type);
    for (const type of [
      "payment_intent.succeeded",
      "payment_intent.payment_failed",
      "payment_intent.processing",
      "payment_intent.requires_action",
      "payment_intent.canceled",
      "charge.refunded",
      "setup_intent.succeeded",
      "payment_method.detached",
      "customer.updated",
    ]) {
      expect(types).toContain(type);
    }
    expect(receiver.received).toHaveLength(emulator.events().length);
    for (const { body, signature } of receiver.received) {
      const event = verifyStripeWebhook({ payload: body, signatureHeader: signature, secrets: [SECRET], receivedAt: clock.now() });
      expect(event).toMatchObject({ object: "event", livemode: false, pending_webhooks: 1, created: Date.parse(START) / 1000 });
      expect(Object.keys(event)).toEqual(expect.arrayContaining(["id", "api_version", "data", "request", "type"]));
      expect(() => verifyStripeWebhook({ payload: body, signatureHeader: signature, secrets: ["whsec_other"], receivedAt: clock.now() })).toThrow(StripeWebhookError);
    }
    expect(emulator.webhookDeliveries().every((d) => d.status === "delivered" && d.attempts.length === 1)).toBe(true);
    expect(emulator.events().every((e) => e.pending_webhooks === 0)).toBe(true);
  });

  it("a refused or failed delivery is retried with backoff and the same body; later events of the object wait", async () => {
    // The receiver refuses the first payment_intent.created, then hangs up on its second attempt.
    let tries = 0;
    const { receiver, clock, emulator, stripe } = await setup((_n, body) => {
      if (parse(body).type !== "payment_intent.created") return 200;
      tries++;
      return tries === 1 ? 500 : tries === 2 ? "drop" : 200;
    });
    const pi = await stripe.paymentIntents.create({ amount: 4900, currency: "usd", payment_method: "pm_card_visa", confirm: true });
    await emulator.webhooksIdle();

    const forIntent = receiver.received.map((r) => parse(r.body)).filter((e) => e.data.object.id === pi.id);
    expect(forIntent.map((e) => e.type)).toEqual(["payment_intent.created", "payment_intent.created", "payment_intent.created", "payment_intent.succeeded"]);
    expect(new Set(forIntent.slice(0, 3).map((e) => e.id)).size).toBe(1);
    const created = emulator.webhookDeliveries().find((d) => d.type === "payment_intent.created")!;
    expect(created.status).toBe("delivered");
    expect(created.attempts.map((a) => a.status)).toEqual([500, null, 200]);
    for (const { body, signature } of receiver.received) {
      expect(() => verifyStripeWebhook({ payload: body, signatureHeader: signature, secrets: [SECRET], receivedAt: clock.now() })).not.toThrow();
    }
  });

  it("resendEvent delivers the same event again, freshly signed", async () => {
    const { receiver, clock, emulator, stripe } = await setup();
    await stripe.customers.create({});
    await emulator.webhooksIdle();
    const [event] = emulator.events();
    clock.advance(60_000);
    emulator.resendEvent(event!.id);
    await emulator.webhooksIdle();
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received.map((r) => parse(r.body).id)).toEqual([event!.id, event!.id]);
    expect(receiver.received[1]!.signature).not.toBe(receiver.received[0]!.signature);
    verifyStripeWebhook({ payload: receiver.received[1]!.body, signatureHeader: receiver.received[1]!.signature, secrets: [SECRET], receivedAt: clock.now() });
    expect(() => emulator.resendEvent("evt_nope")).toThrow(/no event/);
  });

  it("gives up after the bounded retries when the receiver stays down", async () => {
    const { receiver, emulator, stripe } = await setup(() => 503, [10, 10]);
    await stripe.customers.create({});
    await emulator.webhooksIdle();
    const [delivery] = emulator.webhookDeliveries();
    expect(delivery).toMatchObject({ type: "customer.created", status: "failed" });
    expect(delivery!.attempts.map((a) => a.status)).toEqual([503, 503, 503]);
    expect(receiver.received).toHaveLength(3);
    expect(emulator.events()[0]!.pending_webhooks).toBe(1);
  });

  it("stop() abandons a delivery waiting for its retry instead of waiting ten minutes", async () => {
    const receiver = await startReceiver(() => 500);
    cleanups.push(receiver.close);
    const emulator = await startStripeEmulator({ clock: new TestClock(START), webhook: { url: receiver.url, secret: SECRET, retryDelaysMs: [600_000] } });
    await createLocalStripeClient(emulator.url).customers.create({});
    while (receiver.received.length === 0) await new Promise((r) => setTimeout(r, 10));
    await emulator.stop(); // resolves only by abandoning the ten-minute retry (the test would time out first)
    expect(emulator.webhookDeliveries()[0]!.status).toBe("failed");
    expect(receiver.received).toHaveLength(1);
  });

  it("a receiver that is not listening counts as a failed attempt", async () => {
    const receiver = await startReceiver();
    await receiver.close();
    const emulator = await startStripeEmulator({ clock: new TestClock(START), webhook: { url: receiver.url, secret: SECRET, retryDelaysMs: [10] } });
    cleanups.push(() => emulator.stop());
    await createLocalStripeClient(emulator.url).customers.create({});
    await emulator.webhooksIdle();
    const [delivery] = emulator.webhookDeliveries();
    expect(delivery!.status).toBe("failed");
    expect(delivery!.attempts).toHaveLength(2);
    expect(delivery!.attempts.every((a) => a.status === null && typeof a.error === "string")).toBe(true);
  });

  it("bank payments settle in simulated time: events and signatures carry the clock's time", async () => {
    const { receiver, clock, emulator, stripe } = await setup(undefined, undefined, ["payment_intent.processing", "payment_intent.succeeded"]);
    const pi = await stripe.paymentIntents.create({ amount: 9900, currency: "usd", payment_method: "pm_usBankAccount_success", confirm: true });
    await emulator.webhooksIdle();
    expect(receiver.received.map((r) => parse(r.body).type)).toEqual(["payment_intent.processing"]);

    clock.advance(4 * 24 * 3600 * 1000);
    expect(emulator.settle()).toBe(1);
    await emulator.webhooksIdle();
    const last = receiver.received.at(-1)!;
    const event = verifyStripeWebhook({ payload: last.body, signatureHeader: last.signature, secrets: [SECRET], receivedAt: clock.now() });
    expect(event).toMatchObject({ type: "payment_intent.succeeded", created: Date.parse(START) / 1000 + 4 * 24 * 3600 });
    expect((event.data as { object: { id: string; status: string } }).object).toMatchObject({ id: pi.id, status: "succeeded" });
    expect(last.signature).toContain(`t=${Date.parse(START) / 1000 + 4 * 24 * 3600},`);
    // Events not enabled for the endpoint are recorded, not delivered.
    expect(emulator.events().length).toBeGreaterThan(receiver.received.length);
  });
});
