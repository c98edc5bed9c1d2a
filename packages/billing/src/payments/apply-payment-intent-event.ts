import type { BillingDbDeps } from "../deps.ts";
import type { StripeEventInput, StripeEventOutcome } from "../payment-methods/stripe-event-object.ts";
import { applyPaymentIntent, type PaymentIntentLike } from "./apply-payment-intent.ts";

/** A `payment_intent.*` webhook: the PaymentIntent in the event, as of the event's `created`. */
export async function applyPaymentIntentEvent(deps: BillingDbDeps, input: StripeEventInput): Promise<StripeEventOutcome> {
  const payload = input.event.payload as { created?: number; data?: { object?: PaymentIntentLike & { object?: string } } };
  const paymentIntent = payload.data?.object;
  if (paymentIntent?.object !== "payment_intent" || typeof payload.created !== "number") {
    return { ignored: `event ${input.event.provider_event_id} carries no PaymentIntent` };
  }
  const result = await applyPaymentIntent(deps, { paymentIntent, observedAt: new Date(payload.created * 1000) });
  return "ignored" in result ? { ignored: result.ignored } : "processed";
}
