/*
 * The one module that reaches into @trigger.dev internals. They are exported subpaths without a
 * semver promise (shared/notes/triggerdev.md §4.5), so everything the local engine needs from the
 * SDK goes through here, and test/sdk-contract.test.ts fails loudly when an upgrade moves them.
 * Keep @trigger.dev/sdk and @trigger.dev/core pinned to the same version.
 */
import {
  AbortTaskRunError,
  calculateNextRetryDelay,
  parsePacket,
  resourceCatalog,
  type RetryOptions,
} from "@trigger.dev/core/v3";
import { StandardResourceCatalog } from "@trigger.dev/core/v3/workers";

export type { RetryOptions };

/** What task()/schemaTask()/schedules.task() registered for one task id. */
export interface RegisteredTask {
  id: string;
  filePath: string;
  run: (payload: unknown, params: { ctx: unknown; signal: AbortSignal }) => Promise<unknown>;
  /** schemaTask only: the schema's parse function, as the SDK builds it. */
  parsePayload?: (payload: unknown) => unknown;
  schema?: unknown;
  retry?: RetryOptions;
  queue?: { name?: string; concurrencyLimit?: number | null };
  concurrency?: { inline?: { perKey?: number; total?: number }; limits?: string[] };
  maxDuration?: number;
  triggerSource?: string;
  schedule?: { cron: string; timezone: string; window?: string };
}

export interface ConcurrencyLimitDefinition {
  name: string;
  total?: number;
  perKey?: number;
}

let installed: StandardResourceCatalog | undefined;
const loadedFiles = new Set<string>();

/*
 * Without a StandardResourceCatalog (and a file context while the module evaluates) task()
 * registrations are silently dropped: the default global catalog is a no-op. One catalog per
 * process, because ES modules evaluate once: a second catalog would never see them again.
 */
function catalog(): StandardResourceCatalog {
  if (!installed) {
    installed = new StandardResourceCatalog();
    if (!resourceCatalog.setGlobalResourceCatalog(installed)) {
      resourceCatalog.disable();
      resourceCatalog.setGlobalResourceCatalog(installed);
    }
  }
  return installed;
}

/** Imports a task file with the file context set; returns the ids it registered. */
export async function importTaskFile(absolutePath: string, importer: (path: string) => Promise<unknown>): Promise<string[]> {
  const c = catalog();
  if (!loadedFiles.has(absolutePath)) {
    resourceCatalog.setCurrentFileContext(absolutePath, absolutePath);
    try {
      await importer(absolutePath);
    } finally {
      resourceCatalog.clearCurrentFileContext();
    }
    loadedFiles.add(absolutePath);
  }
  return c
    .listTaskManifests()
    .filter((m) => m.filePath === absolutePath)
    .map((m) => m.id);
}

/** Ids registered from more than one file: Trigger.dev keeps the last one, we refuse. */
export function taskIdCollisions(): Array<{ id: string; filePaths: string[] }> {
  return catalog().listTaskIdCollisions();
}

export function registeredTask(id: string): RegisteredTask | undefined {
  const c = catalog();
  const task = c.getTask(id);
  const manifest = c.getTaskManifest(id);
  if (!task || !manifest) return undefined;
  const schedule = (task as { schedule?: RegisteredTask["schedule"] }).schedule;
  return {
    id: task.id,
    filePath: manifest.filePath,
    run: task.fns.run as RegisteredTask["run"],
    parsePayload: task.fns.parsePayload as RegisteredTask["parsePayload"],
    schema: c.getTaskSchema(id),
    retry: task.retry,
    queue: task.queue as RegisteredTask["queue"],
    concurrency: (task as { concurrency?: RegisteredTask["concurrency"] }).concurrency,
    maxDuration: task.maxDuration,
    triggerSource: task.triggerSource,
    schedule: schedule ? { cron: schedule.cron, timezone: schedule.timezone, window: schedule.window } : undefined,
  };
}

export function concurrencyLimitDefinitions(): ConcurrencyLimitDefinition[] {
  return catalog()
    .listConcurrencyLimitManifests()
    .map((l) => ({ name: l.name, total: l.total ?? undefined, perKey: l.perKey ?? undefined }));
}

/** Trigger.dev's own backoff: undefined once `attempt` (1-based, the one that failed) is the last. */
export function nextRetryDelay(retry: RetryOptions, attempt: number): number | undefined {
  return calculateNextRetryDelay(retry, attempt);
}

/** The SDK's "do not retry" errors: AbortTaskRunError, and payloads the schema rejected. */
export function isAbortTaskRunError(error: unknown): boolean {
  return error instanceof AbortTaskRunError || (error instanceof Error && error.name === "AbortTaskRunError");
}

/** Decodes an API payload packet (superjson by default), as a trigger request carries it. */
export async function decodePayloadPacket(data: string, dataType: string): Promise<unknown> {
  return parsePacket({ data, dataType });
}
