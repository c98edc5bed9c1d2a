export { syncSetupIntent, type PaymentMethodSyncDeps } from "./sync-setup-intent.ts";
export { detachPaymentMethod, type DetachPaymentMethodDeps } from "./detach-payment-method.ts";
export type { StripeEventInput, StripeEventOutcome } from "./stripe-event-object.ts";
