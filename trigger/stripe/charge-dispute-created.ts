import { schemaTask } from "@trigger.dev/sdk";
import { runTask } from "@paycron/runtime";
import { taskPayloads } from "@paycron/tasks";

/** Stripe `charge.dispute.created`: recorded and acknowledged; its billing handler replaces the acknowledgement. */
export const stripeChargeDisputeCreated = schemaTask({
  id: "stripe-charge-dispute-created",
  schema: taskPayloads["stripe-charge-dispute-created"],
  run: (payload) =>
    runTask(async (deps) => {
      const { acknowledgeStripeEvent } = await import("@paycron/inbox");
      return acknowledgeStripeEvent(deps, payload);
    }),
});
