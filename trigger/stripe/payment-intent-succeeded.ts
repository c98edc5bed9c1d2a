import { schemaTask } from "@trigger.dev/sdk";
import { runTask } from "@paycron/runtime";
import { taskPayloads } from "@paycron/tasks";

/** Stripe `payment_intent.succeeded`: recorded and acknowledged; its billing handler replaces the acknowledgement. */
export const stripePaymentIntentSucceeded = schemaTask({
  id: "stripe-payment-intent-succeeded",
  schema: taskPayloads["stripe-payment-intent-succeeded"],
  run: (payload) =>
    runTask(async (deps) => {
      const { acknowledgeStripeEvent } = await import("@paycron/inbox");
      return acknowledgeStripeEvent(deps, payload);
    }),
});
