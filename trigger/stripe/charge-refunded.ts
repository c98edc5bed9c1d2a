import { schemaTask } from "@trigger.dev/sdk";
import { runTask } from "@paycron/runtime";
import { taskPayloads } from "@paycron/tasks";

/** Stripe `charge.refunded`: the payment and its invoice follow the charge's cumulative refunded amount. */
export const stripeChargeRefunded = schemaTask({
  id: "stripe-charge-refunded",
  schema: taskPayloads["stripe-charge-refunded"],
  run: (payload) =>
    runTask(async (deps) => {
      const [{ processStripeEvent }, { recordRefund }] = await Promise.all([import("@paycron/inbox"), import("@paycron/billing")]);
      return processStripeEvent(deps, payload, (event) => recordRefund(deps, { event }));
    }),
});
