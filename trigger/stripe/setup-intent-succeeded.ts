import { schemaTask } from "@trigger.dev/sdk";
import { runTask } from "@paycron/runtime";
import { taskPayloads } from "@paycron/tasks";

/** Stripe `setup_intent.succeeded`: recorded and acknowledged; its billing handler replaces the acknowledgement. */
export const stripeSetupIntentSucceeded = schemaTask({
  id: "stripe-setup-intent-succeeded",
  schema: taskPayloads["stripe-setup-intent-succeeded"],
  run: (payload) =>
    runTask(async (deps) => {
      const { acknowledgeStripeEvent } = await import("@paycron/inbox");
      return acknowledgeStripeEvent(deps, payload);
    }),
});
