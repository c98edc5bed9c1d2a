import { schemaTask } from "@trigger.dev/sdk";
import { runTask } from "@paycron/runtime";
import { taskPayloads } from "@paycron/tasks";

/** Stripe `setup_intent.succeeded`: the saved payment method becomes the customer's default and their live subscriptions'. */
export const stripeSetupIntentSucceeded = schemaTask({
  id: "stripe-setup-intent-succeeded",
  schema: taskPayloads["stripe-setup-intent-succeeded"],
  run: (payload) =>
    runTask(async (deps) => {
      const [{ processStripeEvent }, { syncSetupIntent }] = await Promise.all([import("@paycron/inbox"), import("@paycron/billing")]);
      return processStripeEvent(deps, payload, (event) => syncSetupIntent(deps, { event }));
    }),
});
