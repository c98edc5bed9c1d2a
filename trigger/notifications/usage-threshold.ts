import { schemaTask } from "@trigger.dev/sdk";
import { emailApiLimit, emailRetry, runTask } from "@paycron/runtime";
import { taskPayloads } from "@paycron/tasks";

/** Metered usage crossed 80 % (or the given share) of the plan's allowance. Sent once per occurrence (email_deliveries), however often it runs. */
export const notificationsUsageThreshold = schemaTask({
  id: "notifications-usage-threshold",
  schema: taskPayloads["notifications-usage-threshold"],
  concurrency: [emailApiLimit],
  retry: emailRetry,
  maxDuration: 60,
  run: (payload) =>
    runTask(async (deps) => {
      const { sendNotification } = await import("@paycron/notifications");
      return sendNotification(deps, "notifications-usage-threshold", payload);
    }),
});
