import { schemaTask } from "@trigger.dev/sdk";
import { runTask } from "@paycron/runtime";
import { taskPayloads } from "@paycron/tasks";

/** Stripe `charge.dispute.created`: the dispute is recorded on the payment and its invoice. */
export const stripeChargeDisputeCreated = schemaTask({
  id: "stripe-charge-dispute-created",
  schema: taskPayloads["stripe-charge-dispute-created"],
  run: (payload) =>
    runTask(async (deps) => {
      const [{ processStripeEvent }, { recordDispute }] = await Promise.all([import("@paycron/inbox"), import("@paycron/billing")]);
      return processStripeEvent(deps, payload, (event) => recordDispute(deps, { event }));
    }),
});
