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
export { createEngine, readEngineConfig, type EngineConfig } from "./engine/engine-config.ts";
export { triggerEngine, type TriggerEngineOptions } from "./engine/trigger-engine.ts";
export type { DispatchItem, LocalDispatchEngine, RemoteDispatchEngine, TaskEngine } from "./engine/types.ts";
export { DEFAULT_TASKS_DIR, listTaskFiles, loadTaskCatalog, taskIdForFile, type CatalogTask, type LoadCatalogOptions, type TaskCatalog } from "./catalog/catalog.ts";
export { currentRun, type CurrentRun } from "./run-context.ts";
export { parseDuration } from "./duration.ts";
export { clearTaskDeps, getTaskDeps, installTaskDeps, taskDepsFromEnvironment, type TaskDeps } from "./task-deps.ts";
