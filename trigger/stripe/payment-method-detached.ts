import { schemaTask } from "@trigger.dev/sdk";
import { runTask } from "@paycron/runtime";
import { taskPayloads } from "@paycron/tasks";

/** Stripe `payment_method.detached`: recorded and acknowledged; its billing handler replaces the acknowledgement. */
export const stripePaymentMethodDetached = schemaTask({
  id: "stripe-payment-method-detached",
  schema: taskPayloads["stripe-payment-method-detached"],
  run: (payload) =>
    runTask(async (deps) => {
      const { acknowledgeStripeEvent } = await import("@paycron/inbox");
      return acknowledgeStripeEvent(deps, payload);
    }),
});
