import { z } from "zod";

/** Every Stripe task receives the id of the stored webhook_events row, never the event itself. */
export const stripeEventPayload = z.object({ webhookEventId: z.uuid() });

/*
 * One task per routed event type; the id is the task's file under trigger/stripe/. Which event
 * type goes to which task is decided in @paycron/inbox (stripe-routes.ts): keep the two in sync.
 */
export const stripeTaskPayloads = {
  "stripe-payment-intent-succeeded": stripeEventPayload,
  "stripe-payment-intent-payment-failed": stripeEventPayload,
  "stripe-payment-intent-processing": stripeEventPayload,
  "stripe-payment-intent-requires-action": stripeEventPayload,
  "stripe-payment-intent-canceled": stripeEventPayload,
  "stripe-charge-refunded": stripeEventPayload,
  "stripe-charge-dispute-created": stripeEventPayload,
  "stripe-setup-intent-succeeded": stripeEventPayload,
  "stripe-payment-method-detached": stripeEventPayload,
  "stripe-customer-updated": stripeEventPayload,
} as const;
