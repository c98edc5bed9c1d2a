import { schemaTask } from "@trigger.dev/sdk";
import { acknowledgeStripeEvent } from "@paycron/inbox";
import { getTaskDeps } from "@paycron/runtime";
import { stripeApiLimit } from "@paycron/stripe/concurrency";
import { taskPayloads } from "@paycron/tasks";

/** Stripe `payment_intent.canceled`: recorded and acknowledged; the billing handler takes over this adapter. */
export const stripePaymentIntentCanceled = schemaTask({
  id: "stripe-payment-intent-canceled",
  schema: taskPayloads["stripe-payment-intent-canceled"],
  concurrency: stripeApiLimit,
  run: (payload) => acknowledgeStripeEvent(getTaskDeps(), payload),
});
