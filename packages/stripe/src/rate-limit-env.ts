import { z } from "zod";
import type { StripeRateLimits } from "./rate-limits.ts";

const perSecond = (fallback: number) => z.coerce.number().min(0).default(fallback);

/**
 * The Stripe rate limits of an app's environment (the deployed worker's, the CLI's), listed in
 * .env.example: requests per second, 0 for no pacing. Spread into the app's own zod schema.
 */
export const stripeRateLimitEnvShape = {
  /** All endpoints together: live mode 100 (the default), test mode 25. */
  STRIPE_RATE_LIMIT_PER_SECOND: perSecond(100),
  /** `POST /v1/payment_intents`: Stripe's per-endpoint default 25. */
  STRIPE_PAYMENT_INTENT_CREATE_RATE_LIMIT_PER_SECOND: perSecond(25),
};

export function stripeRateLimitsFromEnv(env: {
  STRIPE_RATE_LIMIT_PER_SECOND: number;
  STRIPE_PAYMENT_INTENT_CREATE_RATE_LIMIT_PER_SECOND: number;
}): StripeRateLimits {
  return { overallPerSecond: env.STRIPE_RATE_LIMIT_PER_SECOND, paymentIntentCreatePerSecond: env.STRIPE_PAYMENT_INTENT_CREATE_RATE_LIMIT_PER_SECOND };
}
