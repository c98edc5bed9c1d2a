import { schemaTask } from "@trigger.dev/sdk";
import { emailApiLimit, emailRetry, runTask } from "@paycron/runtime";
import { taskPayloads } from "@paycron/tasks";

/** To the organization: every attempt failed; the invoice is uncollectible. Sent once per occurrence (email_deliveries), however often it runs. */
export const notificationsOrgDunningExhausted = schemaTask({
  id: "notifications-org-dunning-exhausted",
  schema: taskPayloads["notifications-org-dunning-exhausted"],
  concurrency: [emailApiLimit],
  retry: emailRetry,
  maxDuration: 60,
  run: (payload) =>
    runTask(async (deps) => {
      const { sendNotification } = await import("@paycron/notifications");
      return sendNotification(deps, "notifications-org-dunning-exhausted", payload);
    }),
});
