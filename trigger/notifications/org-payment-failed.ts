import { schemaTask } from "@trigger.dev/sdk";
import { emailApiLimit, emailRetry, runTask } from "@paycron/runtime";
import { taskPayloads } from "@paycron/tasks";

/** To the organization: an attempt to collect an invoice failed; another is scheduled. Sent once per occurrence (email_deliveries), however often it runs. */
export const notificationsOrgPaymentFailed = schemaTask({
  id: "notifications-org-payment-failed",
  schema: taskPayloads["notifications-org-payment-failed"],
  concurrency: [emailApiLimit],
  retry: emailRetry,
  maxDuration: 60,
  run: (payload) =>
    runTask(async (deps) => {
      const { sendNotification } = await import("@paycron/notifications");
      return sendNotification(deps, "notifications-org-payment-failed", payload);
    }),
});
