import { schemaTask } from "@trigger.dev/sdk";
import { emailApiLimit, emailRetry, runTask } from "@paycron/runtime";
import { taskPayloads } from "@paycron/tasks";

/** A subscription ended. Sent once per occurrence (email_deliveries), however often it runs. */
export const notificationsSubscriptionCanceled = schemaTask({
  id: "notifications-subscription-canceled",
  schema: taskPayloads["notifications-subscription-canceled"],
  concurrency: [emailApiLimit],
  retry: emailRetry,
  maxDuration: 60,
  run: (payload) =>
    runTask(async (deps) => {
      const { sendNotification } = await import("@paycron/notifications");
      return sendNotification(deps, "notifications-subscription-canceled", payload);
    }),
});
