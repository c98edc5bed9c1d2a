export { startLocalRuntime, type LocalRuntime, type LocalRuntimeOptions } from "./start-local-runtime.ts";
export { localEngine } from "./local-engine.ts";
export { fireDueCrons } from "./cron-scheduler.ts";
export { createEngine } from "./create-engine.ts";
export { dispatchNow, type DispatchNowDeps } from "./dispatch-now.ts";
export {
  assertRunId,
  findRun,
  hasRunsOf,
  listRuns,
  listRunsPage,
  ROUTINE_TASKS,
  showRun,
  type FoundRun,
  type IdempotencyKeyState,
  type PendingRun,
  type RunBrief,
  type RunDetail,
  type RunFilter,
  type RunLogEntry,
  type RunPage,
  type WebhookEventBrief,
} from "./runs-log.ts";
export { followRuns, type FollowFilter, type RunEvent, type RunFollower } from "./follow-runs.ts";
export { cancelRun, type CancelOutcome } from "./cancel-run.ts";
export { replayRun, type Replayed } from "./replay-run.ts";
export { summarizeTasks, type TaskSummary } from "./task-summaries.ts";
export { graphileSettings } from "./graphile-settings.ts";
