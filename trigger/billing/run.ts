import { schemaTask } from "@trigger.dev/sdk";
import { runTask, stripeApiLimit } from "@paycron/runtime";
import { taskPayloads } from "@paycron/tasks";

/**
 * Executes one billing run: claim, invoice, charge, outcome (@paycron/billing executeBillingRun).
 * Safe to run any number of times: the claim admits one executor, Stripe's idempotency key one charge.
 */
export const billingRun = schemaTask({
  id: "billing-run",
  schema: taskPayloads["billing-run"],
  concurrency: [stripeApiLimit],
  retry: { maxAttempts: 6, factor: 2, minTimeoutInMs: 2_000, maxTimeoutInMs: 120_000, randomize: true },
  maxDuration: 120,
  run: (payload) =>
    runTask(async (deps) => {
      const { executeBillingRun } = await import("@paycron/billing");
      return executeBillingRun(deps, payload);
    }),
});
