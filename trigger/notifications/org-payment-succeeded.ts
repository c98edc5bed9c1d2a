import { schemaTask } from "@trigger.dev/sdk";
import { emailApiLimit, emailRetry, runTask } from "@paycron/runtime";
import { taskPayloads } from "@paycron/tasks";

/** To the organization: a customer paid an invoice. Sent once per occurrence (email_deliveries), however often it runs. */
export const notificationsOrgPaymentSucceeded = schemaTask({
  id: "notifications-org-payment-succeeded",
  schema: taskPayloads["notifications-org-payment-succeeded"],
  concurrency: [emailApiLimit],
  retry: emailRetry,
  maxDuration: 60,
  run: (payload) =>
    runTask(async (deps) => {
      const { sendNotification } = await import("@paycron/notifications");
      return sendNotification(deps, "notifications-org-payment-succeeded", payload);
    }),
});
