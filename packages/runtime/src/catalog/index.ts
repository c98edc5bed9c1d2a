export { DEFAULT_TASKS_DIR, listTaskFiles, loadTaskCatalog, taskIdForFile, type CatalogTask, type LoadCatalogOptions, type TaskCatalog } from "./catalog.ts";
export { isAbortTaskRunError, nextRetryDelay, type RetryOptions } from "./sdk-internals.ts";
export { checkTriggerPayload, payloadJsonSchema, type PayloadCheck, type PayloadIssue } from "./check-trigger-payload.ts";
