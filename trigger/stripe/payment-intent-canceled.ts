import { schemaTask } from "@trigger.dev/sdk";
import { runTask } from "@paycron/runtime";
import { taskPayloads } from "@paycron/tasks";

/** Stripe `payment_intent.canceled`: recorded and acknowledged; its billing handler replaces the acknowledgement. */
export const stripePaymentIntentCanceled = schemaTask({
  id: "stripe-payment-intent-canceled",
  schema: taskPayloads["stripe-payment-intent-canceled"],
  run: (payload) =>
    runTask(async (deps) => {
      const { acknowledgeStripeEvent } = await import("@paycron/inbox");
      return acknowledgeStripeEvent(deps, payload);
    }),
});
