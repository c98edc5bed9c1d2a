import { schemaTask } from "@trigger.dev/sdk";
import { emailApiLimit, emailRetry, runTask } from "@paycron/runtime";
import { taskPayloads } from "@paycron/tasks";

/** Metered usage reached the plan's allowance. Sent once per occurrence (email_deliveries), however often it runs. */
export const notificationsUsageLimitReached = schemaTask({
  id: "notifications-usage-limit-reached",
  schema: taskPayloads["notifications-usage-limit-reached"],
  concurrency: [emailApiLimit],
  retry: emailRetry,
  maxDuration: 60,
  run: (payload) =>
    runTask(async (deps) => {
      const { sendNotification } = await import("@paycron/notifications");
      return sendNotification(deps, "notifications-usage-limit-reached", payload);
    }),
});
