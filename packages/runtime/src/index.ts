export {
  DEFAULT_IDEMPOTENCY_TTL,
  enqueue,
  enqueueMany,
  enqueueUnchecked,
  type EnqueueItem,
  OUTBOX_CHANNEL,
  releaseIdempotencyKey,
  type Enqueued,
  type EnqueueOptions,
} from "./outbox/enqueue.ts";
export { dispatchDue, type DispatchDeps, type DispatchResult } from "./outbox/dispatch.ts";
export { startDispatcher, type Dispatcher, type DispatcherOptions } from "./outbox/dispatcher.ts";
export { sweepOutbox } from "./outbox/sweep-outbox.ts";
export { outboxBacklog } from "./outbox/dispatch-progress.ts";
export { pruneRuntimeHistory, type PruneOptions } from "./prune-runtime-history.ts";
export { engineEnvShape, engineSettings, triggerLimits, triggerLimitsEnvShape, type EngineSettings } from "./engine/engine-config.ts";
export { rateLimitWaitMs, triggerEngine, type TriggerEngineOptions } from "./engine/trigger-engine.ts";
export { DEFAULT_TRIGGER_LIMITS, TriggerPacer, type TriggerLimits } from "./engine/trigger-limits.ts";
export {
  EngineRateLimitedError,
  type DispatchItem,
  type LocalDispatchEngine,
  type RemoteDispatchEngine,
  type RemoteDispatchResult,
  type TaskEngine,
} from "./engine/types.ts";
export { currentRun, withCurrentRun, type CurrentRun } from "./run-context.ts";
export { parseDuration } from "./duration.ts";
export { emailApiLimit, emailRetry, stripeApiLimit } from "./concurrency-limits.ts";
export { runTask } from "./run-task.ts";
export {
  clearTaskDeps,
  createTaskDeps,
  installTaskDeps,
  loadTaskDeps,
  type ProviderFactories,
  type TaskDeps,
  type TaskDepsBase,
  type TaskProviders,
} from "./task-deps.ts";
