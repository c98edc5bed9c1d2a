import { schedules } from "@trigger.dev/sdk";
import { runTask, sweepOutbox } from "@paycron/runtime";

/** Re-dispatches outbox rows that a crash or a failed dispatch left behind, to this worker's engine. */
export const outboxSweep = schedules.task({
  id: "outbox-sweep",
  cron: { pattern: "* * * * *", timezone: "UTC", window: "0m" },
  retry: { maxAttempts: 1 },
  maxDuration: 55,
  run: () => runTask((deps) => sweepOutbox(deps)),
});
