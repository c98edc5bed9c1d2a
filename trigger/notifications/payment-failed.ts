import { schemaTask } from "@trigger.dev/sdk";
import { emailApiLimit, emailRetry, runTask } from "@paycron/runtime";
import { taskPayloads } from "@paycron/tasks";

/** A renewal payment failed: when the next attempt is, and where to update the card. Sent once per occurrence (email_deliveries), however often it runs. */
export const notificationsPaymentFailed = schemaTask({
  id: "notifications-payment-failed",
  schema: taskPayloads["notifications-payment-failed"],
  concurrency: [emailApiLimit],
  retry: emailRetry,
  maxDuration: 60,
  run: (payload) =>
    runTask(async (deps) => {
      const { sendNotification } = await import("@paycron/notifications");
      return sendNotification(deps, "notifications-payment-failed", payload);
    }),
});
