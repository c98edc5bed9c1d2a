import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TestClock } from "@paycron/core";
import { createStripeClient, Stripe } from "@paycron/stripe";
import type { StripeEmulator } from "@paycron/stripe-emulator";
import { emulatorWithClient, stripeFailure } from "./support.ts";

let emulator: StripeEmulator;
let stripe: Stripe;
let clock: TestClock;

beforeEach(async () => {
  ({ emulator, stripe, clock } = await emulatorWithClient());
});
afterEach(async () => {
  await emulator.stop();
});

const charge = (customer?: string) => ({
  amount: 4900,
  currency: "usd",
  payment_method: "pm_card_visa",
  confirm: true,
  ...(customer ? { customer } : {}),
  metadata: { billing_run_id: "run_1" },
});

const piPosts = (e: StripeEmulator) => e.requests().filter((r) => r.method === "POST" && r.path === "/v1/payment_intents");

describe("Idempotency-Key", () => {
  it("same key and parameters: the stored response is replayed, nothing runs twice", async () => {
    const first = await stripe.paymentIntents.create(charge(), { idempotencyKey: "run_1:attempt_1" });
    const eventsAfterFirst = emulator.events().length;
    const second = await stripe.paymentIntents.create(charge(), { idempotencyKey: "run_1:attempt_1" });
    expect(second.id).toBe(first.id);
    expect(second.latest_charge).toBe(first.latest_charge);
    expect(first.lastResponse.headers["idempotent-replayed"]).toBeUndefined();
    expect(second.lastResponse.headers["idempotent-replayed"]).toBe("true");
    expect(second.lastResponse.headers["original-request"]).toBe(first.lastResponse.requestId);
    expect(emulator.chargesSucceeded()).toBe(1);
    expect(emulator.paymentIntents()).toHaveLength(1);
    expect(emulator.events()).toHaveLength(eventsAfterFirst);
    const event = emulator.events().find((e) => e.type === "payment_intent.succeeded")!;
    expect(event.request).toEqual({ id: first.lastResponse.requestId, idempotency_key: "run_1:attempt_1" });
  });

  it("same key, other parameters or another endpoint: Stripe's 400 idempotency_error", async () => {
    await stripe.paymentIntents.create(charge(), { idempotencyKey: "k" });
    const other = await stripeFailure(stripe.paymentIntents.create({ ...charge(), amount: 5000 }, { idempotencyKey: "k" }));
    expect(other).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(other.statusCode).toBe(400);
    expect(other.rawType).toBe("idempotency_error");
    expect(other.message).toBe(
      "Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than 'k' if you meant to execute a different request.",
    );
    const endpoint = await stripeFailure(stripe.customers.create({}, { idempotencyKey: "k" }));
    expect(endpoint).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(endpoint.message).toMatch(/same endpoint/);
    expect(emulator.chargesSucceeded()).toBe(1);
    expect(emulator.customers()).toHaveLength(0);
  });

  it("a decline is replayed as the same decline, with one failed charge", async () => {
    const params = { amount: 4900, currency: "usd", payment_method: "pm_card_chargeDeclined", confirm: true };
    const a = await stripeFailure(stripe.paymentIntents.create(params, { idempotencyKey: "d" }));
    const b = await stripeFailure(stripe.paymentIntents.create(params, { idempotencyKey: "d" }));
    expect(b.statusCode).toBe(402);
    expect(b.payment_intent?.id).toBe(a.payment_intent?.id);
    expect(b.headers?.["idempotent-replayed"]).toBe("true");
    expect(emulator.charges()).toHaveLength(1);
  });

  it("concurrent requests with one key make one PaymentIntent and one charge", async () => {
    emulator.faults.latency(50);
    const results = await Promise.all(Array.from({ length: 10 }, () => stripe.paymentIntents.create(charge(), { idempotencyKey: "burst" })));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(results.filter((r) => r.lastResponse.headers["idempotent-replayed"] === "true")).toHaveLength(9);
    expect(emulator.chargesSucceeded()).toBe(1);
  });

  it("keys expire after 24 hours of the emulator's clock", async () => {
    const first = await stripe.paymentIntents.create(charge(), { idempotencyKey: "old" });
    clock.advance(24 * 3600 * 1000 + 1000);
    const second = await stripe.paymentIntents.create({ ...charge(), amount: 6000 }, { idempotencyKey: "old" });
    expect(second.id).not.toBe(first.id);
  });

  it("keys belong to one API key", async () => {
    const url = new URL(emulator.url);
    const other = createStripeClient({ secretKey: "sk_test_other_account", host: url.hostname, port: Number(url.port), protocol: "http" });
    const a = await stripe.customers.create({ name: "a" }, { idempotencyKey: "shared" });
    const b = await other.customers.create({ name: "b" }, { idempotencyKey: "shared" });
    expect(b.id).not.toBe(a.id);
  });
});

describe("faults", () => {
  it("connection dropped after the charge: the SDK retries with its idempotency key and gets the same PaymentIntent; one charge", async () => {
    const customer = await stripe.customers.create({});
    emulator.faults.dropAfterCharge(1);
    const pi = await stripe.paymentIntents.create(charge(customer.id), { idempotencyKey: "run_7:attempt_1" });
    expect(pi.status).toBe("succeeded");
    expect(piPosts(emulator).map((r) => ({ fault: r.fault, replayed: r.replayed, key: r.idempotencyKey }))).toEqual([
      { fault: "drop", replayed: false, key: "run_7:attempt_1" },
      { fault: undefined, replayed: true, key: "run_7:attempt_1" },
    ]);
    expect(emulator.paymentIntents().map((p) => p.id)).toEqual([pi.id]);
    expect(emulator.chargesSucceeded()).toBe(1);
  });

  it("the same without an explicit key: the SDK's own key makes the retry safe", async () => {
    emulator.faults.dropAfterCharge(1);
    const pi = await stripe.paymentIntents.create(charge());
    const posts = piPosts(emulator);
    expect(posts).toHaveLength(2);
    expect(posts[0]!.idempotencyKey).toMatch(/^stripe-node-retry-/);
    expect(posts[1]!.idempotencyKey).toBe(posts[0]!.idempotencyKey);
    expect(posts[1]!.replayed).toBe(true);
    expect(emulator.paymentIntents().map((p) => p.id)).toEqual([pi.id]);
    expect(emulator.chargesSucceeded()).toBe(1);
  });

  it("a caller that retries itself with the same key also gets the same PaymentIntent", async () => {
    const url = new URL(emulator.url);
    const noRetries = createStripeClient({ secretKey: "sk_test_paycron_local", host: url.hostname, port: Number(url.port), protocol: "http", maxNetworkRetries: 0 });
    emulator.faults.dropAfterCharge(1);
    // The SDK may retry a closed connection once on its own; either way the caller's retry with its key is safe.
    const first = await noRetries.paymentIntents.create(charge(), { idempotencyKey: "task-level" }).catch((e: unknown) => e);
    if (first instanceof Error) expect(first).toBeInstanceOf(Stripe.errors.StripeConnectionError);
    const again = await noRetries.paymentIntents.create(charge(), { idempotencyKey: "task-level" });
    expect(again.status).toBe("succeeded");
    expect(emulator.paymentIntents().map((p) => p.id)).toEqual([again.id]);
    expect(emulator.chargesSucceeded()).toBe(1);
  });

  it("a refund whose answer is lost is retried by the SDK and made once", async () => {
    const pi = await stripe.paymentIntents.create(charge());
    emulator.faults.dropAfterExecution(1);
    const refund = await stripe.refunds.create({ payment_intent: pi.id, amount: 1000 });
    expect(emulator.refunds().map((r) => r.id)).toEqual([refund.id]);
    expect((await stripe.charges.retrieve(pi.latest_charge as string)).amount_refunded).toBe(1000);
    const posts = emulator.requests().filter((r) => r.path === "/v1/refunds");
    expect(posts.map((r) => [r.fault ?? null, r.replayed])).toEqual([
      ["drop", false],
      [null, true],
    ]);
  });

  it("a 5xx on the next requests is not executed; the SDK retries it", async () => {
    emulator.faults.failNext(1, 503);
    const pi = await stripe.paymentIntents.create(charge());
    expect(pi.status).toBe("succeeded");
    expect(piPosts(emulator).map((r) => [r.status, r.fault ?? null])).toEqual([
      [503, "error"],
      [200, null],
    ]);
    expect(emulator.chargesSucceeded()).toBe(1);

    emulator.faults.failNext(3);
    const error = await stripeFailure(stripe.paymentIntents.create(charge()));
    expect(error).toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect(error.statusCode).toBe(500);
    expect(error.rawType).toBe("api_error");
    expect(emulator.paymentIntents()).toHaveLength(1);
    expect(() => emulator.faults.failNext(1, 404)).toThrow(RangeError);
  });

  it("latency delays every request until cleared", async () => {
    emulator.faults.latency(150);
    const started = performance.now();
    await stripe.customers.create({});
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(emulator.requests().at(-1)!.fault).toBe("latency");
    emulator.faults.clear();
    await stripe.customers.create({});
    expect(emulator.requests().at(-1)!.fault).toBeUndefined();
  });
});
