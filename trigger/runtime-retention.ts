import { schedules } from "@trigger.dev/sdk";
import { pruneRuntimeHistory, runTask } from "@paycron/runtime";

/** Deletes old finished runs and dispatched outbox rows whose idempotency key has expired. */
export const runtimeRetention = schedules.task({
  id: "runtime-retention",
  cron: { pattern: "30 3 * * *", timezone: "UTC", window: "0m" },
  retry: { maxAttempts: 3, factor: 2, minTimeoutInMs: 10_000, maxTimeoutInMs: 60_000, randomize: true },
  run: () => runTask((deps) => pruneRuntimeHistory(deps)),
});
