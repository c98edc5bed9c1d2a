import { schemaTask } from "@trigger.dev/sdk";
import { runTask } from "@paycron/runtime";
import { taskPayloads } from "@paycron/tasks";

/** Closes a subscription's ended period and opens the next with its billing run (one transaction, idempotent). */
export const subscriptionAdvance = schemaTask({
  id: "subscription-advance",
  schema: taskPayloads["subscription-advance"],
  run: (payload) =>
    runTask(async (deps) => {
      const { advanceSubscriptionPeriod } = await import("@paycron/billing");
      return advanceSubscriptionPeriod(deps, payload);
    }),
});
