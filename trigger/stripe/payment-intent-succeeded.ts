import { schemaTask } from "@trigger.dev/sdk";
import { runTask } from "@paycron/runtime";
import { taskPayloads } from "@paycron/tasks";

/** Stripe `payment_intent.succeeded`: the PaymentIntent applied to its billing run by the one outcome function (applyPaymentIntent). */
export const stripePaymentIntentSucceeded = schemaTask({
  id: "stripe-payment-intent-succeeded",
  schema: taskPayloads["stripe-payment-intent-succeeded"],
  run: (payload) =>
    runTask(async (deps) => {
      const { processStripeEvent } = await import("@paycron/inbox");
      const { applyPaymentIntentEvent } = await import("@paycron/billing");
      return processStripeEvent(deps, payload, (event) => applyPaymentIntentEvent(deps, { event }));
    }),
});
