import { schemaTask } from "@trigger.dev/sdk";
import { acknowledgeStripeEvent } from "@paycron/inbox";
import { getTaskDeps } from "@paycron/runtime";
import { stripeApiLimit } from "@paycron/stripe/concurrency";
import { taskPayloads } from "@paycron/tasks";

/** Stripe `payment_intent.processing`: recorded and acknowledged; the billing handler takes over this adapter. */
export const stripePaymentIntentProcessing = schemaTask({
  id: "stripe-payment-intent-processing",
  schema: taskPayloads["stripe-payment-intent-processing"],
  concurrency: stripeApiLimit,
  run: (payload) => acknowledgeStripeEvent(getTaskDeps(), payload),
});
