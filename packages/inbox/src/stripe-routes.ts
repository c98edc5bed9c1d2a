import type { TaskId } from "@paycron/tasks";

/**
 * Stripe event type → the task that handles it (trigger/stripe/<task>.ts). A type that is not
 * here is stored as `ignored` and acknowledged: Stripe sends every type the endpoint subscribes
 * to, and refusing one would only make Stripe retry it for three days.
 */
export const STRIPE_EVENT_ROUTES = {
  "payment_intent.succeeded": "stripe-payment-intent-succeeded",
  "payment_intent.payment_failed": "stripe-payment-intent-payment-failed",
  "payment_intent.processing": "stripe-payment-intent-processing",
  "payment_intent.requires_action": "stripe-payment-intent-requires-action",
  "payment_intent.canceled": "stripe-payment-intent-canceled",
  "charge.refunded": "stripe-charge-refunded",
  "charge.dispute.created": "stripe-charge-dispute-created",
  "setup_intent.succeeded": "stripe-setup-intent-succeeded",
  "payment_method.detached": "stripe-payment-method-detached",
  "customer.updated": "stripe-customer-updated",
} as const satisfies Record<string, TaskId>;

export type RoutedStripeEventType = keyof typeof STRIPE_EVENT_ROUTES;

export function stripeTaskFor(eventType: string): TaskId | undefined {
  return Object.hasOwn(STRIPE_EVENT_ROUTES, eventType) ? STRIPE_EVENT_ROUTES[eventType as RoutedStripeEventType] : undefined;
}
