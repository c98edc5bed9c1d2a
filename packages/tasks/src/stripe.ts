import { webhookEventPayload } from "./webhook-event.ts";

/*
 * One task per routed event type; the id is the task's file under trigger/stripe/. Which event
 * type goes to which task is decided in @paycron/inbox (stripe-routes.ts): keep the two in sync.
 */
export const stripeTaskPayloads = {
  "stripe-payment-intent-succeeded": webhookEventPayload,
  "stripe-payment-intent-payment-failed": webhookEventPayload,
  "stripe-payment-intent-processing": webhookEventPayload,
  "stripe-payment-intent-requires-action": webhookEventPayload,
  "stripe-payment-intent-canceled": webhookEventPayload,
  "stripe-charge-refunded": webhookEventPayload,
  "stripe-charge-dispute-created": webhookEventPayload,
  "stripe-setup-intent-succeeded": webhookEventPayload,
  "stripe-payment-method-detached": webhookEventPayload,
  "stripe-customer-updated": webhookEventPayload,
} as const;
