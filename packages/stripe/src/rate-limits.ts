import type { RateBucket } from "@paycron/core";

/** The rates Paycron keeps to when calling Stripe (docs.stripe.com/rate-limits); 0 leaves one unpaced. */
export interface StripeRateLimits {
  /** Requests per second on all endpoints together: 100 in live mode, 25 in test mode. */
  overallPerSecond: number;
  /** `POST /v1/payment_intents` (every billing charge) per second: Stripe's per-endpoint default, 25. */
  paymentIntentCreatePerSecond: number;
}

/** Stripe's live-mode defaults; an account whose limits Stripe raised passes its own. */
export const DEFAULT_STRIPE_RATE_LIMITS: StripeRateLimits = { overallPerSecond: 100, paymentIntentCreatePerSecond: 25 };

/** The shared bucket every Stripe request reserves in. */
export const STRIPE_OVERALL_BUCKET = "stripe:all";

/*
 * The endpoints with a bucket of their own. Stripe limits every endpoint (25/s by default), but only
 * the ones Paycron calls in volume need pacing; one more is one more row here.
 */
const PACED_ENDPOINTS: ReadonlyArray<{ method: string; path: string; limit: Exclude<keyof StripeRateLimits, "overallPerSecond"> }> = [
  { method: "POST", path: "/v1/payment_intents", limit: "paymentIntentCreatePerSecond" },
];

/** `POST /v1/payment_intents`: the request's method and path without its query (ids are kept). */
export function stripeEndpointOf(method: string, path: string): string {
  return `${method} ${path.split("?")[0]}`;
}

/** The buckets a request to Stripe reserves in: `stripe:all`, and its endpoint's when it has one. */
export function stripeBucketsFor(method: string, path: string, limits: StripeRateLimits): RateBucket[] {
  const buckets: RateBucket[] = [];
  if (limits.overallPerSecond > 0) buckets.push({ name: STRIPE_OVERALL_BUCKET, perSecond: limits.overallPerSecond });
  const endpoint = stripeEndpointOf(method, path);
  for (const paced of PACED_ENDPOINTS) {
    const perSecond = limits[paced.limit];
    if (`${paced.method} ${paced.path}` === endpoint && perSecond > 0) buckets.push({ name: `stripe:${endpoint}`, perSecond });
  }
  return buckets;
}
