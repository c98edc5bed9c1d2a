import { schemaTask } from "@trigger.dev/sdk";
import { emailApiLimit, emailRetry, runTask } from "@paycron/runtime";
import { taskPayloads } from "@paycron/tasks";

/** To the organization: a customer disputed a payment. Sent once per occurrence (email_deliveries), however often it runs. */
export const notificationsOrgDisputeOpened = schemaTask({
  id: "notifications-org-dispute-opened",
  schema: taskPayloads["notifications-org-dispute-opened"],
  concurrency: [emailApiLimit],
  retry: emailRetry,
  maxDuration: 60,
  run: (payload) =>
    runTask(async (deps) => {
      const { sendNotification } = await import("@paycron/notifications");
      return sendNotification(deps, "notifications-org-dispute-opened", payload);
    }),
});
