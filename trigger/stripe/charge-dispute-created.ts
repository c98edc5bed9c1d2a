import { schemaTask } from "@trigger.dev/sdk";
import { acknowledgeStripeEvent } from "@paycron/inbox";
import { getTaskDeps } from "@paycron/runtime";
import { stripeApiLimit } from "@paycron/stripe/concurrency";
import { taskPayloads } from "@paycron/tasks";

/** Stripe `charge.dispute.created`: recorded and acknowledged; the billing handler takes over this adapter. */
export const stripeChargeDisputeCreated = schemaTask({
  id: "stripe-charge-dispute-created",
  schema: taskPayloads["stripe-charge-dispute-created"],
  concurrency: stripeApiLimit,
  run: (payload) => acknowledgeStripeEvent(getTaskDeps(), payload),
});
