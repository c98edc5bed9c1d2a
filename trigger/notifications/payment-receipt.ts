import { schemaTask } from "@trigger.dev/sdk";
import { emailApiLimit, emailRetry, runTask } from "@paycron/runtime";
import { taskPayloads } from "@paycron/tasks";

/** A customer's payment went through: the receipt email, linking the stored receipt. Sent once per occurrence (email_deliveries), however often it runs. */
export const notificationsPaymentReceipt = schemaTask({
  id: "notifications-payment-receipt",
  schema: taskPayloads["notifications-payment-receipt"],
  concurrency: [emailApiLimit],
  retry: emailRetry,
  maxDuration: 60,
  run: (payload) =>
    runTask(async (deps) => {
      const { sendNotification } = await import("@paycron/notifications");
      return sendNotification(deps, "notifications-payment-receipt", payload);
    }),
});
