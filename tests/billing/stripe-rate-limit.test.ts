import { randomUUID } from "node:crypto";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { executeBillingRun, executeBillingRuns, paymentIntentKey } from "@paycron/billing";
import { createDb, createPostgresRateLimiter, type Db } from "@paycron/db";
import { createOrganization } from "@paycron/db/testing";
import { createLocalStripeClient, Stripe, type StripeRateLimitOptions } from "@paycron/stripe";
import { chargesOf, paymentIntentsOf, signUp, stateOf, useBilling } from "./support.ts";

/*
 * Billing runs against an emulator that enforces a rate limit, through the real SDK. No timing is
 * asserted: only what Stripe did (the emulator's objects and request log) and what we recorded.
 */
const h = useBilling();
const PER_SECOND = 5;
const CREATE = "/v1/payment_intents";
/** Retries enough to outlast the emulator's limit at any load: the test asserts outcomes, not speed. */
const PATIENT: StripeRateLimitOptions = { maxAttempts: 50, backoffBaseMs: 100, backoffMaxMs: 1_000 };

const pools: Db[] = [];
afterEach(() => h.emulator.setRateLimit(undefined));
afterAll(async () => {
  await Promise.all(pools.map((db) => db.destroy()));
});

/** `n` new subscriptions of one organization, each with its first run due now; signed up before any limit is on. */
async function signUps(n: number) {
  const organization = await createOrganization(h.db, { invoice_prefix: `R${randomUUID().slice(0, 4).toUpperCase()}` });
  const subs = [];
  for (let i = 0; i < n; i++) subs.push(await signUp(h, { organizationId: organization.id }));
  return subs;
}

/** Charged exactly once at Stripe and here; no decline, no failed payment, no dunning step. */
async function expectChargedOnce(subs: Awaited<ReturnType<typeof signUps>>) {
  for (const sub of subs) {
    const [pi, ...more] = paymentIntentsOf(h, sub.billingRunId);
    expect(more).toEqual([]);
    expect(pi!.status).toBe("succeeded");
    expect(chargesOf(h, sub.stripeCustomerId)).toHaveLength(1);
    const state = await stateOf(h, sub.subscriptionId);
    expect(state.runs).toMatchObject([{ attempt: 1, status: "succeeded" }]);
    expect(state.payments).toMatchObject([{ status: "succeeded", stripe_payment_intent_id: pi!.id }]);
    expect(state.subscription.status).toBe("active");
  }
  const expiries = await h.db.selectFrom("task_outbox").select("payload").where("task_id", "=", "subscription-expire-incomplete").execute();
  const ids = new Set(subs.map((s) => s.subscriptionId));
  expect(expiries.filter((e) => ids.has((e.payload as { subscriptionId?: string }).subscriptionId ?? ""))).toEqual([]);
}

/** The charges' requests since `from` in the emulator's log, by idempotency key. */
function createsByKey(from: number) {
  const byKey = new Map<string, Array<{ status: number; rateLimited: boolean }>>();
  for (const r of h.emulator.requests().slice(from)) {
    if (r.method !== "POST" || r.path !== CREATE) continue;
    expect(r.idempotencyKey).not.toBeNull();
    byKey.set(r.idempotencyKey!, [...(byKey.get(r.idempotencyKey!) ?? []), { status: r.status, rateLimited: r.rateLimited === true }]);
  }
  return byKey;
}

describe("billing within Stripe's rate limits", () => {
  it("without a limiter, the emulator answers 429s; each is waited out and resent with the same key, and every run is charged once", async () => {
    const subs = await signUps(15);
    const from = h.emulator.requests().length;
    const limitedBefore = h.emulator.rateLimitedCount();
    h.emulator.setRateLimit({ perEndpointPerSecond: PER_SECOND });
    const stripe = createLocalStripeClient(h.emulator.url, { rateLimit: PATIENT });

    // Ten charges at once against a bucket of five: some are refused whatever the machine's speed.
    const results = await executeBillingRuns({ ...h.deps, stripe }, { billingRunIds: subs.map((s) => s.billingRunId), chargeConcurrency: 10 });

    expect(results.map((r) => r.outcome)).toEqual(subs.map(() => "charged"));
    expect(h.emulator.rateLimitedCount() - limitedBefore).toBeGreaterThan(0);
    await expectChargedOnce(subs);
    // Each run's charge: its own key on every send, refused ones first, then exactly one executed.
    const byKey = createsByKey(from);
    expect([...byKey.keys()].sort()).toEqual(subs.map((s) => paymentIntentKey(s.billingRunId, 1)).sort());
    let resent = 0;
    for (const sends of byKey.values()) {
      expect(sends.at(-1)).toEqual({ status: 200, rateLimited: false });
      expect(sends.slice(0, -1).every((s) => s.status === 429 && s.rateLimited)).toBe(true);
      resent += sends.length - 1;
    }
    expect(resent).toBe(h.emulator.rateLimitedCount() - limitedBefore);
  });

  it("two workers (two pools, two clients) sharing the Postgres limiter at the emulator's rate charge everything once", async () => {
    const subs = await signUps(16);
    const from = h.emulator.requests().length;
    h.emulator.setRateLimit({ perEndpointPerSecond: PER_SECOND });
    const before = await dbNowMs(h.db);
    const workers = [0, 1].map(() => {
      const db = createDb({ connectionString: h.url, max: 5 });
      pools.push(db);
      const limiter = createPostgresRateLimiter(db);
      return createLocalStripeClient(h.emulator.url, { rateLimit: { ...PATIENT, limiter, limits: { overallPerSecond: 0, paymentIntentCreatePerSecond: PER_SECOND } } });
    });

    const halves = [subs.slice(0, 8), subs.slice(8)];
    const results = await Promise.all(
      halves.map((half, i) => executeBillingRuns({ ...h.deps, stripe: workers[i]! }, { billingRunIds: half.map((s) => s.billingRunId), chargeConcurrency: 8 })),
    );

    expect(results.flat().map((r) => r.outcome)).toEqual(subs.map(() => "charged"));
    await expectChargedOnce(subs);
    // Every send, resends after a stray 429 included, took its slot in the one shared bucket:
    // its debt reaches at least one slot (1/rate) per send past the time before the first.
    const sends = [...createsByKey(from).values()].reduce((n, s) => n + s.length, 0);
    const bucket = await h.db.selectFrom("rate_limit_buckets").select("tat").where("name", "=", `stripe:POST ${CREATE}`).executeTakeFirstOrThrow();
    // Both times are read to the millisecond: 1 ms of rounding.
    expect(bucket.tat.getTime() - before).toBeGreaterThanOrEqual(sends * (1000 / PER_SECOND) - 1);
  });

  it("a 429 that outlasts the attempts surfaces as retryable: the run's lease is given back, no payment is failed, the retry charges once", async () => {
    const [sub] = await signUps(1);
    // One request per 1,000 s on each endpoint, and its one token spent: every charge is refused.
    h.emulator.setRateLimit({ perEndpointPerSecond: 0.001 });
    await h.stripe.paymentIntents.create({ amount: 100, currency: "usd" });
    const limitedBefore = h.emulator.rateLimitedCount();
    const stripe = createLocalStripeClient(h.emulator.url, { rateLimit: { maxAttempts: 3, backoffBaseMs: 1, backoffMaxMs: 4 } });

    const error = await executeBillingRun({ ...h.deps, stripe }, { billingRunId: sub!.billingRunId }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    expect((error as Stripe.errors.StripeError).statusCode).toBe(429);
    expect(h.emulator.rateLimitedCount() - limitedBefore).toBe(3);
    expect(paymentIntentsOf(h, sub!.billingRunId)).toEqual([]);
    const refused = await stateOf(h, sub!.subscriptionId);
    expect(refused.runs).toHaveLength(1);
    expect(refused.runs[0]!.status).toBe("in_progress");
    expect(refused.runs[0]!.lease_until!.getTime()).toBeLessThanOrEqual(h.clock.now().getTime());
    expect(refused.payments.filter((p) => p.status === "failed")).toEqual([]);

    h.emulator.setRateLimit(undefined);
    expect(await executeBillingRun({ ...h.deps, stripe }, { billingRunId: sub!.billingRunId })).toMatchObject({ outcome: "charged", paymentStatus: "succeeded" });
    await expectChargedOnce([sub!]);
  });
});

/** The database's time, which the limiter reads (never the test's clock). */
async function dbNowMs(db: Db): Promise<number> {
  const row = await db.selectNoFrom((eb) => eb.fn<Date>("clock_timestamp").as("now")).executeTakeFirstOrThrow();
  return row.now.getTime();
}
