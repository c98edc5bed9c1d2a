import { schemaTask } from "@trigger.dev/sdk";
import { emailApiLimit, emailRetry, runTask } from "@paycron/runtime";
import { taskPayloads } from "@paycron/tasks";

/** A new customer: the welcome email. Sent once per occurrence (email_deliveries), however often it runs. */
export const notificationsWelcome = schemaTask({
  id: "notifications-welcome",
  schema: taskPayloads["notifications-welcome"],
  concurrency: [emailApiLimit],
  retry: emailRetry,
  maxDuration: 60,
  run: (payload) =>
    runTask(async (deps) => {
      const { sendNotification } = await import("@paycron/notifications");
      return sendNotification(deps, "notifications-welcome", payload);
    }),
});
