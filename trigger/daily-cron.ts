import { schedules } from "@trigger.dev/sdk";
import { runTask } from "@paycron/runtime";

/**
 * Hands past_due subscriptions at the end of their dunning ladder and expired incomplete ones to
 * their tasks, then prunes old history (finished runs, spent outbox rows, settled webhook events).
 */
export const dailyCron = schedules.task({
  id: "daily-cron",
  cron: { pattern: "10 0 * * *", timezone: "UTC", window: "0m" },
  retry: { maxAttempts: 3, factor: 2, minTimeoutInMs: 10_000, maxTimeoutInMs: 300_000, randomize: true },
  maxDuration: 1800,
  run: () =>
    runTask(async (deps) => {
      const { sweepDaily } = await import("@paycron/billing");
      return sweepDaily(deps);
    }),
});
