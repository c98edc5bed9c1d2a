import { schemaTask } from "@trigger.dev/sdk";
import { runTask } from "@paycron/runtime";
import { taskPayloads } from "@paycron/tasks";

/** Stripe `payment_method.detached`: the method is marked detached and taken off the subscriptions using it. */
export const stripePaymentMethodDetached = schemaTask({
  id: "stripe-payment-method-detached",
  schema: taskPayloads["stripe-payment-method-detached"],
  run: (payload) =>
    runTask(async (deps) => {
      const [{ processStripeEvent }, { detachPaymentMethod }] = await Promise.all([import("@paycron/inbox"), import("@paycron/billing")]);
      return processStripeEvent(deps, payload, (event) => detachPaymentMethod(deps, { event }));
    }),
});
