import { schemaTask } from "@trigger.dev/sdk";
import { emailApiLimit, emailRetry, runTask } from "@paycron/runtime";
import { taskPayloads } from "@paycron/tasks";

/** The follow-up, 24 hours after sign-up. Sent once per occurrence (email_deliveries), however often it runs. */
export const notificationsSignupFollowUp = schemaTask({
  id: "notifications-signup-follow-up",
  schema: taskPayloads["notifications-signup-follow-up"],
  concurrency: [emailApiLimit],
  retry: emailRetry,
  maxDuration: 60,
  run: (payload) =>
    runTask(async (deps) => {
      const { sendNotification } = await import("@paycron/notifications");
      return sendNotification(deps, "notifications-signup-follow-up", payload);
    }),
});
