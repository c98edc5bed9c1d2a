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
export { dispatchDue, dispatchBackoffMs, type DispatchDeps, type DispatchResult } from "./outbox/dispatch.ts";
export { startDispatcher, type Dispatcher, type DispatcherOptions } from "./outbox/dispatcher.ts";
export { sweepOutbox } from "./outbox/sweep-outbox.ts";
export { pruneRuntimeHistory, type PruneOptions } from "./prune-runtime-history.ts";
export { engineEnvShape, engineSettings, type EngineSettings } from "./engine/engine-config.ts";
export { triggerEngine, type TriggerEngineOptions } from "./engine/trigger-engine.ts";
export type { DispatchItem, LocalDispatchEngine, RemoteDispatchEngine, TaskEngine } from "./engine/types.ts";
export { currentRun, withCurrentRun, type CurrentRun } from "./run-context.ts";
export { parseDuration } from "./duration.ts";
export { stripeApiLimit } from "./concurrency-limits.ts";
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
