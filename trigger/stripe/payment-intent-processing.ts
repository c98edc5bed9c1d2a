import { schemaTask } from "@trigger.dev/sdk";
import { runTask } from "@paycron/runtime";
import { taskPayloads } from "@paycron/tasks";

/** Stripe `payment_intent.processing`: recorded and acknowledged; its billing handler replaces the acknowledgement. */
export const stripePaymentIntentProcessing = schemaTask({
  id: "stripe-payment-intent-processing",
  schema: taskPayloads["stripe-payment-intent-processing"],
  run: (payload) =>
    runTask(async (deps) => {
      const { acknowledgeStripeEvent } = await import("@paycron/inbox");
      return acknowledgeStripeEvent(deps, payload);
    }),
});
