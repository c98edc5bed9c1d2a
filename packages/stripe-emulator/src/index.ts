export {
  startStripeEmulator,
  type RequestRecord,
  type StripeEmulator,
  type StripeEmulatorFaults,
  type StripeEmulatorOptions,
} from "./emulator.ts";
export { STRIPE_DEFAULT_RATE_LIMIT, type StripeEmulatorRateLimit } from "./rate-limit.ts";
export { canonicalParams, FormError, parseForm, type FormObject, type FormValue } from "./form.ts";
export { TEST_PAYMENT_METHODS, type TestMethod, type TestOutcome } from "./test-methods.ts";
export type { WebhookDelivery, WebhookEndpointOptions } from "./webhooks.ts";
