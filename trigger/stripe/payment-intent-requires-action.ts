import { schemaTask } from "@trigger.dev/sdk";
import { acknowledgeStripeEvent } from "@paycron/inbox";
import { getTaskDeps } from "@paycron/runtime";
import { stripeApiLimit } from "@paycron/stripe/concurrency";
import { taskPayloads } from "@paycron/tasks";

/** Stripe `payment_intent.requires_action`: recorded and acknowledged; the billing handler takes over this adapter. */
export const stripePaymentIntentRequiresAction = schemaTask({
  id: "stripe-payment-intent-requires-action",
  schema: taskPayloads["stripe-payment-intent-requires-action"],
  concurrency: stripeApiLimit,
  run: (payload) => acknowledgeStripeEvent(getTaskDeps(), payload),
});
