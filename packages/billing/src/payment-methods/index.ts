export { syncSetupIntent } from "./sync-setup-intent.ts";
export { detachPaymentMethod } from "./detach-payment-method.ts";
export { paymentMethodDetails, type PaymentMethodDetails } from "./payment-method-details.ts";
export type { StripeEventInput, StripeEventOutcome } from "./stripe-event-object.ts";
