import { schemaTask } from "@trigger.dev/sdk";
import { runTask, stripeApiLimit } from "@paycron/runtime";
import { taskPayloads } from "@paycron/tasks";

/**
 * Executes a page of due billing runs (@paycron/billing executeBillingRuns): the billing-run task's
 * steps and guarantees, in a few transactions for the whole page. Safe to run any number of times:
 * each run's claim admits one executor, Stripe's idempotency key one charge.
 */
export const billingRunBatch = schemaTask({
  id: "billing-run-batch",
  schema: taskPayloads["billing-run-batch"],
  concurrency: [stripeApiLimit],
  retry: { maxAttempts: 6, factor: 2, minTimeoutInMs: 2_000, maxTimeoutInMs: 120_000, randomize: true },
  maxDuration: 600,
  run: (payload) =>
    runTask(async (deps) => {
      const { executeBillingRuns } = await import("@paycron/billing");
      const results = await executeBillingRuns(deps, payload);
      return { runs: results.length, outcomes: countBy(results.map((r) => r.outcome)) };
    }),
});

function countBy(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const value of values) out[value] = (out[value] ?? 0) + 1;
  return out;
}
