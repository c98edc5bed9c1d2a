export { startLocalRuntime, type LocalRuntime, type LocalRuntimeOptions } from "./start-local-runtime.ts";
export { localEngine } from "./local-engine.ts";
export { fireDueCrons, nextCronSlot, type SchedulePayload } from "./cron-scheduler.ts";
export { recoverExpiredRuns } from "./recover-runs.ts";
export { createEngine } from "./create-engine.ts";
