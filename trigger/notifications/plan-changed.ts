import { schemaTask } from "@trigger.dev/sdk";
import { emailApiLimit, emailRetry, runTask } from "@paycron/runtime";
import { taskPayloads } from "@paycron/tasks";

/** A subscription moved to another plan. Sent once per occurrence (email_deliveries), however often it runs. */
export const notificationsPlanChanged = schemaTask({
  id: "notifications-plan-changed",
  schema: taskPayloads["notifications-plan-changed"],
  concurrency: [emailApiLimit],
  retry: emailRetry,
  maxDuration: 60,
  run: (payload) =>
    runTask(async (deps) => {
      const { sendNotification } = await import("@paycron/notifications");
      return sendNotification(deps, "notifications-plan-changed", payload);
    }),
});
