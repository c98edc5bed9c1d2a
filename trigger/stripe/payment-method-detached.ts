import { schemaTask } from "@trigger.dev/sdk";
import { acknowledgeStripeEvent } from "@paycron/inbox";
import { getTaskDeps } from "@paycron/runtime";
import { stripeApiLimit } from "@paycron/stripe/concurrency";
import { taskPayloads } from "@paycron/tasks";

/** Stripe `payment_method.detached`: recorded and acknowledged; the billing handler takes over this adapter. */
export const stripePaymentMethodDetached = schemaTask({
  id: "stripe-payment-method-detached",
  schema: taskPayloads["stripe-payment-method-detached"],
  concurrency: stripeApiLimit,
  run: (payload) => acknowledgeStripeEvent(getTaskDeps(), payload),
});
