import { schemaTask } from "@trigger.dev/sdk";
import { runTask } from "@paycron/runtime";
import { taskPayloads } from "@paycron/tasks";

/** Stripe `payment_intent.requires_action`: recorded and acknowledged; its billing handler replaces the acknowledgement. */
export const stripePaymentIntentRequiresAction = schemaTask({
  id: "stripe-payment-intent-requires-action",
  schema: taskPayloads["stripe-payment-intent-requires-action"],
  run: (payload) =>
    runTask(async (deps) => {
      const { acknowledgeStripeEvent } = await import("@paycron/inbox");
      return acknowledgeStripeEvent(deps, payload);
    }),
});
