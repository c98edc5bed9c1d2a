import { schemaTask } from "@trigger.dev/sdk";
import { runTask } from "@paycron/runtime";
import { taskPayloads } from "@paycron/tasks";

/** Stripe `payment_intent.payment_failed`: recorded and acknowledged; its billing handler replaces the acknowledgement. */
export const stripePaymentIntentPaymentFailed = schemaTask({
  id: "stripe-payment-intent-payment-failed",
  schema: taskPayloads["stripe-payment-intent-payment-failed"],
  run: (payload) =>
    runTask(async (deps) => {
      const { acknowledgeStripeEvent } = await import("@paycron/inbox");
      return acknowledgeStripeEvent(deps, payload);
    }),
});
