import { schemaTask } from "@trigger.dev/sdk";
import { runTask } from "@paycron/runtime";
import { taskPayloads } from "@paycron/tasks";

/** Stripe `charge.refunded`: recorded and acknowledged; its billing handler replaces the acknowledgement. */
export const stripeChargeRefunded = schemaTask({
  id: "stripe-charge-refunded",
  schema: taskPayloads["stripe-charge-refunded"],
  run: (payload) =>
    runTask(async (deps) => {
      const { acknowledgeStripeEvent } = await import("@paycron/inbox");
      return acknowledgeStripeEvent(deps, payload);
    }),
});
