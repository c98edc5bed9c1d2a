import { schemaTask } from "@trigger.dev/sdk";
import { emailApiLimit, emailRetry, runTask } from "@paycron/runtime";
import { taskPayloads } from "@paycron/tasks";

/** A subscription will be canceled at the end of its paid period. Sent once per occurrence (email_deliveries), however often it runs. */
export const notificationsCancellationScheduled = schemaTask({
  id: "notifications-cancellation-scheduled",
  schema: taskPayloads["notifications-cancellation-scheduled"],
  concurrency: [emailApiLimit],
  retry: emailRetry,
  maxDuration: 60,
  run: (payload) =>
    runTask(async (deps) => {
      const { sendNotification } = await import("@paycron/notifications");
      return sendNotification(deps, "notifications-cancellation-scheduled", payload);
    }),
});
