import { schemaTask } from "@trigger.dev/sdk";
import { runTask } from "@paycron/runtime";
import { taskPayloads } from "@paycron/tasks";

/** An incomplete subscription 23 hours after sign-up: incomplete_expired unless its first payment is settling. */
export const subscriptionExpireIncomplete = schemaTask({
  id: "subscription-expire-incomplete",
  schema: taskPayloads["subscription-expire-incomplete"],
  run: (payload) =>
    runTask(async (deps) => {
      const { expireIncompleteSubscription } = await import("@paycron/billing");
      return expireIncompleteSubscription(deps, payload);
    }),
});
