import { afterEach, describe, expect, it } from "vitest";
import { Stripe } from "@paycron/stripe";
import type { StripeEmulator } from "@paycron/stripe-emulator";
import { emulatorWithClient, stripeFailure } from "./support.ts";

/*
 * Rates of one request per 1,000 s (a bucket holds at least one request): the first request of a
 * bucket goes, the next is refused, whatever the time the test takes. No timing is asserted.
 */
const SLOW = 0.001;
const FAST = 1_000;

let emulator: StripeEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

const charge = { amount: 4900, currency: "usd", payment_method: "pm_card_visa" };

describe("rate limits", () => {
  it("are off unless asked for", async () => {
    const started = await emulatorWithClient();
    emulator = started.emulator;
    for (let i = 0; i < 30; i++) await started.stripe.customers.create({ email: `c${i}@example.test` });
    expect(emulator.rateLimitedCount()).toBe(0);
    expect(emulator.requests().some((r) => r.rateLimited)).toBe(false);
  });

  it("per endpoint: a request over its endpoint's rate answers Stripe's 429 rate_limit, is not executed, and is counted", async () => {
    const started = await emulatorWithClient({ rateLimit: { perEndpointPerSecond: SLOW } });
    emulator = started.emulator;
    const { stripe } = started;

    const first = await stripe.customers.create({ email: "a@example.test" });
    const refused = await stripeFailure(stripe.customers.create({ email: "b@example.test" }, { idempotencyKey: "customer-b" }));

    expect(refused).toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    expect(refused.statusCode).toBe(429);
    expect(refused.raw).toMatchObject({ type: "invalid_request_error", code: "rate_limit", message: expect.stringMatching(/^Request rate limit exceeded\./) });
    expect(emulator.customers().map((c) => c.id)).toEqual([first.id]);
    expect(emulator.events().filter((e) => e.type === "customer.created")).toHaveLength(1);
    expect(emulator.rateLimitedCount()).toBe(1);
    expect(emulator.requests().map((r) => [r.path, r.status, r.idempotencyKey, r.rateLimited ?? false])).toEqual([
      ["/v1/customers", 200, expect.any(String), false],
      ["/v1/customers", 429, "customer-b", true],
    ]);

    // The refused request's key was not stored: once the limit is lifted, the same key executes.
    emulator.setRateLimit(undefined);
    const retried = await stripe.customers.create({ email: "b@example.test" }, { idempotencyKey: "customer-b" });
    expect(retried.lastResponse.headers["idempotent-replayed"]).toBeUndefined();
    expect(emulator.customers()).toHaveLength(2);
  });

  it("names endpoints by method and path template", async () => {
    const started = await emulatorWithClient({ rateLimit: { perEndpointPerSecond: SLOW } });
    emulator = started.emulator;
    const { stripe } = started;
    const a = await stripe.paymentIntents.create(charge);
    await expect(stripe.paymentIntents.create(charge)).rejects.toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    emulator.setRateLimit(undefined);
    const c = await stripe.paymentIntents.create(charge);
    emulator.setRateLimit({ perEndpointPerSecond: SLOW });

    // Another endpoint has its own bucket.
    await stripe.paymentIntents.confirm(a.id);
    // Another PaymentIntent's confirm is the same endpoint, `POST /v1/payment_intents/:id/confirm`.
    await expect(stripe.paymentIntents.confirm(c.id)).rejects.toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    // A GET of the same path is another endpoint.
    expect((await stripe.paymentIntents.retrieve(c.id)).status).toBe("requires_confirmation");
    expect(emulator.paymentIntents().find((pi) => pi.id === c.id)!.status).toBe("requires_confirmation");
  });

  it("overall: every endpoint draws on one more bucket", async () => {
    const started = await emulatorWithClient({ rateLimit: { perEndpointPerSecond: FAST, overallPerSecond: SLOW } });
    emulator = started.emulator;
    const { stripe } = started;

    await stripe.customers.create({ email: "a@example.test" });
    await expect(stripe.paymentIntents.create(charge)).rejects.toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    await expect(stripe.customers.list()).rejects.toBeInstanceOf(Stripe.errors.StripeRateLimitError);

    expect(emulator.paymentIntents()).toEqual([]);
    expect(emulator.rateLimitedCount()).toBe(2);
    expect(emulator.requests().map((r) => [r.method, r.path, r.status])).toEqual([
      ["POST", "/v1/customers", 200],
      ["POST", "/v1/payment_intents", 429],
      ["GET", "/v1/customers", 429],
    ]);
  });

  it("refuses a rate that is not a positive number", async () => {
    const started = await emulatorWithClient();
    emulator = started.emulator;
    expect(() => started.emulator.setRateLimit({ perEndpointPerSecond: 0 })).toThrow(RangeError);
    expect(() => started.emulator.setRateLimit({ perEndpointPerSecond: 5, overallPerSecond: Number.NaN })).toThrow(RangeError);
  });
});
