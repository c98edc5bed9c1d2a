import { schemaTask } from "@trigger.dev/sdk";
import { emailApiLimit, emailRetry, runTask } from "@paycron/runtime";
import { taskPayloads } from "@paycron/tasks";

/** The customer's bank asks them to authenticate a payment. Sent once per occurrence (email_deliveries), however often it runs. */
export const notificationsPaymentActionRequired = schemaTask({
  id: "notifications-payment-action-required",
  schema: taskPayloads["notifications-payment-action-required"],
  concurrency: [emailApiLimit],
  retry: emailRetry,
  maxDuration: 60,
  run: (payload) =>
    runTask(async (deps) => {
      const { sendNotification } = await import("@paycron/notifications");
      return sendNotification(deps, "notifications-payment-action-required", payload);
    }),
});
