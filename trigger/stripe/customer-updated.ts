import { schemaTask } from "@trigger.dev/sdk";
import { acknowledgeStripeEvent } from "@paycron/inbox";
import { getTaskDeps } from "@paycron/runtime";
import { stripeApiLimit } from "@paycron/stripe/concurrency";
import { taskPayloads } from "@paycron/tasks";

/** Stripe `customer.updated`: recorded and acknowledged; the billing handler takes over this adapter. */
export const stripeCustomerUpdated = schemaTask({
  id: "stripe-customer-updated",
  schema: taskPayloads["stripe-customer-updated"],
  concurrency: stripeApiLimit,
  run: (payload) => acknowledgeStripeEvent(getTaskDeps(), payload),
});
