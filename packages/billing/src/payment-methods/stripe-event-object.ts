import type { WebhookEvent } from "@paycron/db";
import { BillingError } from "../errors.ts";

/**
 * What a Stripe event handler did with an event, the shape `processStripeEvent` (@paycron/inbox)
 * settles: acted on it, or left it alone with a reason an operator can read.
 */
export type StripeEventOutcome = "processed" | { ignored: string };

/** Every Stripe event handler of billing takes the stored event (webhook_events row). */
export interface StripeEventInput {
  event: WebhookEvent;
}

/**
 * The object a stored Stripe event carries, checked to be the kind its type promises: a handler
 * reading a charge's fields from a dispute would write nonsense instead of failing.
 */
export function stripeEventObject<T>(event: WebhookEvent, kind: string): { object: T; created: Date } {
  const payload = event.payload as { created?: unknown; data?: { object?: { object?: unknown; id?: unknown } } };
  const object = payload.data?.object;
  if (!object || object.object !== kind || typeof object.id !== "string" || typeof payload.created !== "number") {
    throw new BillingError(
      "stripe_event_malformed",
      `stripe event ${event.provider_event_id} (${event.type}) has no ${kind} in data.object, or no created time`,
      { details: { webhookEventId: event.id, providerEventId: event.provider_event_id, kind } },
    );
  }
  return { object: object as T, created: new Date(payload.created * 1000) };
}

/** The id of an expandable Stripe field (an id, or the object when it was expanded). */
export function stripeIdOf(value: string | { id: string } | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === "string" ? value : value.id;
}
