import { schedules } from "@trigger.dev/sdk";
import { runTask } from "@paycron/runtime";

/**
 * Hands everything due to its per-item task: billing runs, period transitions, runs whose lease
 * expired, stale payments. Catch-up queries, so a missed tick is made up by the next one.
 */
export const hourlyCron = schedules.task({
  id: "hourly-cron",
  cron: { pattern: "0 * * * *", timezone: "UTC", window: "0m" },
  // Retried within minutes rather than left to the next tick, an hour later.
  retry: { maxAttempts: 3, factor: 2, minTimeoutInMs: 10_000, maxTimeoutInMs: 120_000, randomize: true },
  maxDuration: 900,
  run: () =>
    runTask(async (deps) => {
      const { sweepHourly } = await import("@paycron/billing");
      return sweepHourly(deps);
    }),
});
