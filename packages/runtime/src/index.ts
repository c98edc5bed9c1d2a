export { DEFAULT_IDEMPOTENCY_TTL, enqueue, OUTBOX_CHANNEL, releaseIdempotencyKey, type Enqueued, type EnqueueOptions } from "./outbox/enqueue.ts";
export { parseDuration } from "./duration.ts";
export { clearTaskDeps, getTaskDeps, installTaskDeps, setTaskDepsFactory, type TaskDeps } from "./task-deps.ts";
