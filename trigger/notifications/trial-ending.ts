import { schemaTask } from "@trigger.dev/sdk";
import { emailApiLimit, emailRetry, runTask } from "@paycron/runtime";
import { taskPayloads } from "@paycron/tasks";

/** A trial ends in 3 days, 1 day or today. Sent once per occurrence (email_deliveries), however often it runs. */
export const notificationsTrialEnding = schemaTask({
  id: "notifications-trial-ending",
  schema: taskPayloads["notifications-trial-ending"],
  concurrency: [emailApiLimit],
  retry: emailRetry,
  maxDuration: 60,
  run: (payload) =>
    runTask(async (deps) => {
      const { sendNotification } = await import("@paycron/notifications");
      return sendNotification(deps, "notifications-trial-ending", payload);
    }),
});
