import { DEFAULT_STRIPE_RATE_LIMITS } from "@paycron/stripe";
import { StripeApiError } from "./errors.ts";
import type { Route } from "./state.ts";

/** Stripe's request rate limits, as the emulator enforces them (off unless given). */
export interface StripeEmulatorRateLimit {
  /** Requests per second on each endpoint (method + path template); Stripe's default is 25. */
  perEndpointPerSecond: number;
  /** Requests per second on all endpoints together (Stripe: 100 in live mode, 25 in test mode). Absent: none. */
  overallPerSecond?: number;
}

/*
 * A token bucket in real time (performance.now), not on the emulator's Clock: it models a remote
 * service's limiter, which counts requests as they arrive, whatever time a test has set. It starts
 * full, holds one second's worth (at least one request), and refills continuously.
 */
class TokenBucket {
  readonly #perMs: number;
  readonly #capacity: number;
  #tokens: number;
  #atMs: number;

  constructor(perSecond: number, nowMs: number) {
    this.#perMs = perSecond / 1000;
    this.#capacity = Math.max(1, perSecond);
    this.#tokens = this.#capacity;
    this.#atMs = nowMs;
  }

  hasToken(nowMs: number): boolean {
    this.#tokens = Math.min(this.#capacity, this.#tokens + (nowMs - this.#atMs) * this.#perMs);
    this.#atMs = nowMs;
    return this.#tokens >= 1;
  }

  take(): void {
    this.#tokens -= 1;
  }
}

/** Stripe's live-mode defaults, the same figures our client paces itself to: 25/s per endpoint, 100/s overall. */
export const STRIPE_DEFAULT_RATE_LIMIT: StripeEmulatorRateLimit = {
  perEndpointPerSecond: DEFAULT_STRIPE_RATE_LIMITS.paymentIntentCreatePerSecond,
  overallPerSecond: DEFAULT_STRIPE_RATE_LIMITS.overallPerSecond,
};

function assertRate(perSecond: number | undefined): void {
  if (perSecond !== undefined && !(perSecond > 0 && Number.isFinite(perSecond))) {
    throw new RangeError(`rate limit: ${perSecond} is not a positive number of requests per second`);
  }
}

export const RATE_LIMITED = new StripeApiError(429, {
  type: "invalid_request_error",
  code: "rate_limit",
  message: "Request rate limit exceeded. You can learn more about rate limits here https://stripe.com/docs/rate-limits.",
});

/** `^\/v1\/payment_intents\/([^/]+)\/confirm$` → `/v1/payment_intents/:id/confirm`. */
function templateOf(pattern: RegExp): string {
  return pattern.source.replace(/^\^|\$$/g, "").replaceAll("([^/]+)", ":id").replaceAll("\\/", "/");
}

/**
 * Admits or refuses each request as Stripe's limiter would: a request takes a token from its
 * endpoint's bucket (keyed by method and path template, so every PaymentIntent's `confirm` shares
 * one) and from the overall bucket, or from neither when either is empty. A refused request is
 * not executed.
 */
export class RateLimitGate {
  readonly #routes: ReadonlyArray<{ method: string; pattern: RegExp; template: string }>;
  #limit: StripeEmulatorRateLimit | undefined;
  #endpoints = new Map<string, TokenBucket>();
  #overall: TokenBucket | undefined;
  #refused = 0;

  constructor(routes: readonly Route[], limit: StripeEmulatorRateLimit | undefined) {
    this.#routes = routes.map(([method, pattern]) => ({ method, pattern, template: templateOf(pattern) }));
    this.set(limit);
  }

  /** Replaces the limit (undefined: none); the buckets start full again. */
  set(limit: StripeEmulatorRateLimit | undefined): void {
    assertRate(limit?.perEndpointPerSecond);
    assertRate(limit?.overallPerSecond);
    this.#limit = limit;
    this.#endpoints.clear();
    this.#overall = limit?.overallPerSecond === undefined ? undefined : new TokenBucket(limit.overallPerSecond, performance.now());
  }

  /** `POST /v1/payment_intents/:id/confirm`; an unknown URL is its own endpoint. */
  endpointOf(method: string, path: string): string {
    const route = this.#routes.find((r) => r.method === method && r.pattern.test(path));
    return `${method} ${route?.template ?? path}`;
  }

  /** True when the request may be executed; false (and counted) when it is over a limit. */
  admit(method: string, path: string): boolean {
    const limit = this.#limit;
    if (!limit) return true;
    const now = performance.now();
    const key = this.endpointOf(method, path);
    let endpoint = this.#endpoints.get(key);
    if (!endpoint) this.#endpoints.set(key, (endpoint = new TokenBucket(limit.perEndpointPerSecond, now)));
    const overall = this.#overall;
    // Both checked before either is taken: a refused request costs no token anywhere.
    const endpointHas = endpoint.hasToken(now);
    const overallHas = overall ? overall.hasToken(now) : true;
    if (!endpointHas || !overallHas) {
      this.#refused++;
      return false;
    }
    endpoint.take();
    overall?.take();
    return true;
  }

  refusedCount(): number {
    return this.#refused;
  }
}
