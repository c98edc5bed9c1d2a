import { schemaTask } from "@trigger.dev/sdk";
import { acknowledgeStripeEvent } from "@paycron/inbox";
import { getTaskDeps } from "@paycron/runtime";
import { stripeApiLimit } from "@paycron/stripe/concurrency";
import { taskPayloads } from "@paycron/tasks";

/** Stripe `payment_intent.succeeded`: recorded and acknowledged; the billing handler takes over this adapter. */
export const stripePaymentIntentSucceeded = schemaTask({
  id: "stripe-payment-intent-succeeded",
  schema: taskPayloads["stripe-payment-intent-succeeded"],
  concurrency: stripeApiLimit,
  run: (payload) => acknowledgeStripeEvent(getTaskDeps(), payload),
});
