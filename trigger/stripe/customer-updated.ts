import { schemaTask } from "@trigger.dev/sdk";
import { runTask } from "@paycron/runtime";
import { taskPayloads } from "@paycron/tasks";

/** Stripe `customer.updated`: recorded and acknowledged; its billing handler replaces the acknowledgement. */
export const stripeCustomerUpdated = schemaTask({
  id: "stripe-customer-updated",
  schema: taskPayloads["stripe-customer-updated"],
  run: (payload) =>
    runTask(async (deps) => {
      const { acknowledgeStripeEvent } = await import("@paycron/inbox");
      return acknowledgeStripeEvent(deps, payload);
    }),
});
