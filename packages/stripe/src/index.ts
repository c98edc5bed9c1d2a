export { createLocalStripeClient, createStripeClient, Stripe, type StripeClientOptions } from "./client.ts";
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
