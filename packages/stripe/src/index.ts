export { createLocalStripeClient, createStripeClient, Stripe, type StripeClientOptions } from "./client.ts";
export { rateLimitedHttpClient, type StripeRateLimitOptions } from "./rate-limited-http-client.ts";
export { DEFAULT_STRIPE_RATE_LIMITS, STRIPE_OVERALL_BUCKET, stripeBucketsFor, type StripeRateLimits } from "./rate-limits.ts";
export { stripeRateLimitEnvShape, stripeRateLimitsFromEnv } from "./rate-limit-env.ts";
export { StripeWebhookError, type StripeWebhookErrorCode } from "./webhook-error.ts";
export {
  signStripePayload,
  STRIPE_SIGNATURE_TOLERANCE_SECONDS,
  verifyStripeWebhook,
  type StripeEventEnvelope,
  type VerifyStripeWebhookInput,
} from "./webhook-verification.ts";
export {
  buildSampleStripeEvent,
  isSampleStripeEventType,
  SAMPLE_STRIPE_EVENT_TYPES,
  signStripeEvent,
  type SampleStripeEventOptions,
  type SampleStripeEventType,
  type SignedStripeDelivery,
} from "./sample-events.ts";
