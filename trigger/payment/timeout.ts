import { schemaTask } from "@trigger.dev/sdk";
import { runTask, stripeApiLimit } from "@paycron/runtime";
import { taskPayloads } from "@paycron/tasks";

/** A payment pending past its window: reconciled with Stripe, else given up on (see timeoutPayment). */
export const paymentTimeout = schemaTask({
  id: "payment-timeout",
  schema: taskPayloads["payment-timeout"],
  concurrency: [stripeApiLimit],
  run: (payload) =>
    runTask(async (deps) => {
      const { timeoutPayment } = await import("@paycron/billing");
      return timeoutPayment(deps, payload);
    }),
});
