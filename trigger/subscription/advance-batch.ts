import { schemaTask } from "@trigger.dev/sdk";
import { runTask } from "@paycron/runtime";
import { taskPayloads } from "@paycron/tasks";

/** subscription-advance for a page of subscriptions (the hourly sweep's), in one transaction. */
export const subscriptionAdvanceBatch = schemaTask({
  id: "subscription-advance-batch",
  schema: taskPayloads["subscription-advance-batch"],
  maxDuration: 600,
  run: (payload) =>
    runTask(async (deps) => {
      const { advanceSubscriptionPeriods } = await import("@paycron/billing");
      const results = await advanceSubscriptionPeriods(deps, payload);
      return { subscriptions: results.length, advanced: results.filter((r) => r.outcome === "advanced").length };
    }),
});
