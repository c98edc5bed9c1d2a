import Stripe from "stripe";
import { rateLimitedHttpClient, type StripeRateLimitOptions } from "./rate-limited-http-client.ts";

export interface StripeClientOptions {
  secretKey: string;
  /** Point the SDK at a local fake (tests, `pnpm dev`); production leaves these unset. */
  host?: string;
  port?: number;
  protocol?: "http" | "https";
  /** The SDK retries idempotent requests itself; callers that retry at the task level pass 0. */
  maxNetworkRetries?: number;
  timeoutMs?: number;
  /**
   * Stripe's rate limits: requests paced by a shared limiter, and a 429 waited out and resent with
   * the same Idempotency-Key (see rate-limited-http-client.ts). Absent: neither (tests).
   */
  rateLimit?: StripeRateLimitOptions;
}

/**
 * The one place a Stripe client is built. The API version stays the SDK's pinned one (the version
 * our event fixtures are written against), and a test cannot reach api.stripe.com by accident
 * because host overrides are passed through in one place.
 */
export function createStripeClient(options: StripeClientOptions): Stripe {
  if (!options.secretKey) throw new Error("createStripeClient: secretKey is required (STRIPE_SECRET_KEY)");
  return new Stripe(options.secretKey, {
    maxNetworkRetries: options.maxNetworkRetries ?? 2,
    timeout: options.timeoutMs ?? 30_000,
    ...(options.host ? { host: options.host } : {}),
    ...(options.port ? { port: options.port } : {}),
    ...(options.protocol ? { protocol: options.protocol } : {}),
    ...(options.rateLimit ? { httpClient: rateLimitedHttpClient(Stripe.createNodeHttpClient(), options.rateLimit) } : {}),
  });
}

export { Stripe };

/**
 * The local implementation of the Stripe provider: the same SDK, pointed at a Stripe emulator
 * (`pnpm dev`, tests) with a test-mode key that no real account has.
 */
export function createLocalStripeClient(apiUrl: string, options: Pick<StripeClientOptions, "rateLimit"> = {}): Stripe {
  const url = new URL(apiUrl);
  const protocol = url.protocol === "https:" ? "https" : "http";
  return createStripeClient({
    secretKey: "sk_test_paycron_local",
    host: url.hostname,
    port: Number(url.port || (protocol === "https" ? 443 : 80)),
    protocol,
    ...options,
  });
}
