import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger, type RateBucket, type RateLimiter, RateLimitWaitTooLong } from "@paycron/core";
import { createStripeClient, Stripe, type StripeRateLimitOptions } from "@paycron/stripe";

const RATE_LIMITED = JSON.stringify({ error: { type: "invalid_request_error", code: "rate_limit", message: "Request rate limit exceeded." } });

interface Seen {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A stand-in for api.stripe.com: `answer(n)` says what its n-th request (0-based) gets. */
async function startStripeStandIn(answer: (n: number) => { status: number; headers?: Record<string, string> }) {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      seen.push({ method: req.method!, path: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      const { status, headers = {} } = answer(seen.length - 1);
      const body = status === 429 ? RATE_LIMITED : JSON.stringify({ id: "pi_1", object: "payment_intent", status: "succeeded" });
      res.writeHead(status, { "content-type": "application/json", ...headers }).end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  servers.push(server);
  return { port: (server.address() as AddressInfo).port, seen };
}

const servers: ReturnType<typeof createServer>[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => (s.close(() => r()), s.closeAllConnections()))));
});

function capturedLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      raw.push(chunk.toString());
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger({ name: "test", level: "debug", destination }), lines, raw };
}

/** A limiter that grants every slot at once and notes what was reserved. */
function recordingLimiter(): RateLimiter & { reserved: string[][] } {
  const reserved: string[][] = [];
  return {
    reserved,
    reserve: async (buckets: readonly RateBucket[]) => {
      reserved.push(buckets.map((b) => `${b.name}@${b.perSecond}`));
      return { waitMs: 0 };
    },
  };
}

const client = (port: number, rateLimit: StripeRateLimitOptions, maxNetworkRetries = 2) =>
  createStripeClient({ secretKey: "sk_test_rate_limit_secret", host: "127.0.0.1", port, protocol: "http", maxNetworkRetries, rateLimit });
const charge = { amount: 4900, currency: "usd", customer: "cus_1", payment_method: "pm_card_visa", confirm: true };
const FAST_BACKOFF = { backoffBaseMs: 1, backoffMaxMs: 4 };

describe("the rate-limited Stripe client", () => {
  it("waits out a 429 and sends the same request again, same Idempotency-Key and body, logging each 429 without key or body", async () => {
    const stripe$ = await startStripeStandIn((n) => ({ status: n < 2 ? 429 : 200 }));
    const { logger, lines, raw } = capturedLogger();
    const stripe = client(stripe$.port, { ...FAST_BACKOFF, logger });

    const pi = await stripe.paymentIntents.create(charge, { idempotencyKey: "paycron-billing-run-1-attempt-1" });

    expect(pi.id).toBe("pi_1");
    expect(stripe$.seen).toHaveLength(3);
    expect(new Set(stripe$.seen.map((s) => s.headers["idempotency-key"]))).toEqual(new Set(["paycron-billing-run-1-attempt-1"]));
    expect(new Set(stripe$.seen.map((s) => s.body)).size).toBe(1);
    expect(lines.filter((l) => l.level === 40)).toEqual([
      expect.objectContaining({ endpoint: "POST /v1/payment_intents", attempt: 1, waitMs: expect.any(Number) }),
      expect.objectContaining({ endpoint: "POST /v1/payment_intents", attempt: 2, waitMs: expect.any(Number) }),
    ]);
    const logged = raw.join("");
    for (const secret of ["sk_test_rate_limit_secret", "paycron-billing-run-1-attempt-1", "pm_card_visa", "cus_1"]) expect(logged).not.toContain(secret);
  });

  it("honours Retry-After", async () => {
    const stripe$ = await startStripeStandIn((n) => (n === 0 ? { status: 429, headers: { "retry-after": "1" } } : { status: 200 }));
    const { logger, lines } = capturedLogger();

    await client(stripe$.port, { ...FAST_BACKOFF, logger }).paymentIntents.create(charge);

    expect(stripe$.seen).toHaveLength(2);
    expect(lines.find((l) => l.level === 40)).toMatchObject({ waitMs: 1000 });
  });

  it("lets a 429 that persists past maxAttempts surface as StripeRateLimitError", async () => {
    const stripe$ = await startStripeStandIn(() => ({ status: 429 }));
    const { logger, lines } = capturedLogger();

    const error = await client(stripe$.port, { ...FAST_BACKOFF, maxAttempts: 3, logger }).paymentIntents.create(charge, { idempotencyKey: "k" }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    expect((error as Stripe.errors.StripeError).statusCode).toBe(429);
    // The SDK does not retry a 429 itself: the wrapper's three sends are all there are.
    expect(stripe$.seen).toHaveLength(3);
    expect(lines.filter((l) => l.level === 40).map((l) => l.attempt)).toEqual([1, 2, 3]);
  });

  it("reserves in stripe:all for every request and in the endpoint's bucket for a charge, again before each resend", async () => {
    const stripe$ = await startStripeStandIn((n) => ({ status: n === 1 ? 429 : 200 }));
    const limiter = recordingLimiter();
    const stripe = client(stripe$.port, { ...FAST_BACKOFF, limiter });

    await stripe.customers.retrieve("cus_1");
    await stripe.paymentIntents.create(charge);
    await stripe.paymentIntents.list({ customer: "cus_1" });

    expect(limiter.reserved).toEqual([
      ["stripe:all@100"],
      ["stripe:all@100", "stripe:POST /v1/payment_intents@25"],
      ["stripe:all@100", "stripe:POST /v1/payment_intents@25"],
      ["stripe:all@100"],
    ]);
  });

  it("leaves a bucket out at 0", async () => {
    const stripe$ = await startStripeStandIn(() => ({ status: 200 }));
    const limiter = recordingLimiter();
    const stripe = client(stripe$.port, { limiter, limits: { overallPerSecond: 0, paymentIntentCreatePerSecond: 5 } });

    await stripe.customers.retrieve("cus_1");
    await stripe.paymentIntents.create(charge);

    expect(limiter.reserved).toEqual([["stripe:POST /v1/payment_intents@5"]]);
  });

  it("sends nothing when the limiter refuses (its next slot is too far away); the SDK reports it as a connection error carrying the refusal", async () => {
    const stripe$ = await startStripeStandIn(() => ({ status: 200 }));
    const bucket = { name: "stripe:all", perSecond: 100 };
    const limiter: RateLimiter = { reserve: async () => Promise.reject(new RateLimitWaitTooLong([bucket], 45_000, 30_000)) };

    const error = await client(stripe$.port, { limiter }, 0).paymentIntents.create(charge).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(Stripe.errors.StripeConnectionError);
    expect((error as { detail?: unknown }).detail).toBeInstanceOf(RateLimitWaitTooLong);
    expect(stripe$.seen).toEqual([]);
  });
});
