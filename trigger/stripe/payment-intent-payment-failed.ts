import { schemaTask } from "@trigger.dev/sdk";
import { acknowledgeStripeEvent } from "@paycron/inbox";
import { getTaskDeps } from "@paycron/runtime";
import { stripeApiLimit } from "@paycron/stripe/concurrency";
import { taskPayloads } from "@paycron/tasks";

/** Stripe `payment_intent.payment_failed`: recorded and acknowledged; the billing handler takes over this adapter. */
export const stripePaymentIntentPaymentFailed = schemaTask({
  id: "stripe-payment-intent-payment-failed",
  schema: taskPayloads["stripe-payment-intent-payment-failed"],
  concurrency: stripeApiLimit,
  run: (payload) => acknowledgeStripeEvent(getTaskDeps(), payload),
});
