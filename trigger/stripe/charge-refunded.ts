import { schemaTask } from "@trigger.dev/sdk";
import { acknowledgeStripeEvent } from "@paycron/inbox";
import { getTaskDeps } from "@paycron/runtime";
import { stripeApiLimit } from "@paycron/stripe/concurrency";
import { taskPayloads } from "@paycron/tasks";

/** Stripe `charge.refunded`: recorded and acknowledged; the billing handler takes over this adapter. */
export const stripeChargeRefunded = schemaTask({
  id: "stripe-charge-refunded",
  schema: taskPayloads["stripe-charge-refunded"],
  concurrency: stripeApiLimit,
  run: (payload) => acknowledgeStripeEvent(getTaskDeps(), payload),
});
