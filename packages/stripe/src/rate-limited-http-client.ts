import { setTimeout as sleep } from "node:timers/promises";
import type Stripe from "stripe";
import type { Logger, RateLimiter } from "@paycron/core";
import { DEFAULT_STRIPE_RATE_LIMITS, stripeBucketsFor, stripeEndpointOf, type StripeRateLimits } from "./rate-limits.ts";

export interface StripeRateLimitOptions {
  /**
   * Paces every request before it is sent, shared by every worker (createPostgresRateLimiter from
   * @paycron/db). Without one, requests are not paced and only a 429 is waited out and resent.
   */
  limiter?: RateLimiter;
  /** Default DEFAULT_STRIPE_RATE_LIMITS (live mode); 0 leaves a bucket out. */
  limits?: StripeRateLimits;
  /** Sends of one request, the first included, before a 429 is handed to the SDK (StripeRateLimitError). Default 5. */
  maxAttempts?: number;
  /** The wait after the n-th 429 without Retry-After: base × 2^(n-1), capped at max, then jittered down to half. Default 500 ms, 8 s. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Each 429 is logged at warn with its endpoint and the wait; never a key or a body. */
  logger?: Logger;
}

/** A `Retry-After` longer than this is not waited out: the 429 goes to the caller, whose task retries later. */
const MAX_RETRY_AFTER_MS = 30_000;

/** `Retry-After: <seconds>` in ms; an HTTP date or anything else is ignored (Stripe sends seconds, if anything). */
function retryAfterMs(headers: Record<string, unknown>): number | undefined {
  const value = headers["retry-after"];
  const text = Array.isArray(value) ? value[0] : value;
  return typeof text === "string" && /^\d+(\.\d+)?$/.test(text.trim()) ? Number(text) * 1000 : undefined;
}

/** Exponential, capped, with jitter in [d/2, d] so the callers a 429 sent back together do not return together. */
function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
  return Math.round(ceiling * (0.5 + Math.random() / 2));
}

/**
 * stripe-node's HTTP client, wrapped: before each send it reserves a slot in the request's rate
 * buckets (`stripe:all`, and `stripe:POST /v1/payment_intents` for a charge) and sleeps the wait
 * the limiter gives, so many workers together stay under Stripe's limits. A 429 is a rate limit,
 * never an answer about the request: its body is drained, the wait sits out (Retry-After, else
 * backoff), a new slot is reserved and the SAME request is sent again: same headers, so the same
 * Idempotency-Key, so Stripe can never execute it twice. After `maxAttempts` the last 429 goes to
 * the SDK, which throws StripeRateLimitError (retryable, never a decline, for billing).
 *
 * A limiter that refuses (its next slot is beyond its max wait) throws from here; the SDK reports
 * that as a StripeConnectionError whose `detail` is the limiter's RateLimitWaitTooLong, retrying
 * it first like any connection error (each retry reserves again).
 */
export function rateLimitedHttpClient(inner: Stripe.HttpClient, options: StripeRateLimitOptions): Stripe.HttpClient {
  const limits = options.limits ?? DEFAULT_STRIPE_RATE_LIMITS;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  const baseMs = options.backoffBaseMs ?? 500;
  const maxMs = options.backoffMaxMs ?? 8_000;
  const { limiter, logger } = options;
  return {
    getClientName: () => inner.getClientName(),
    async makeRequest(host, port, path, method, headers, requestData, protocol, timeout) {
      const buckets = limiter ? stripeBucketsFor(method, path, limits) : [];
      for (let attempt = 1; ; attempt++) {
        if (limiter && buckets.length > 0) {
          const { waitMs } = await limiter.reserve(buckets);
          if (waitMs > 0) await sleep(waitMs);
        }
        const response = await inner.makeRequest(host, port, path, method, headers, requestData, protocol, timeout);
        if (response.getStatusCode() !== 429) return response;
        const endpoint = stripeEndpointOf(method, path);
        const retryAfter = retryAfterMs(response.getHeaders());
        if (attempt >= maxAttempts || (retryAfter ?? 0) > MAX_RETRY_AFTER_MS) {
          logger?.warn({ endpoint, attempt, retryAfterMs: retryAfter }, "stripe: rate limited (429), giving up: the caller retries later");
          return response;
        }
        // Read to the end, so the connection goes back to the keep-alive pool.
        await response.toJSON().catch(() => undefined);
        const waitMs = retryAfter ?? backoffMs(attempt, baseMs, maxMs);
        logger?.warn({ endpoint, attempt, waitMs }, "stripe: rate limited (429), sending the same request again after a wait");
        await sleep(waitMs);
      }
    },
  };
}
