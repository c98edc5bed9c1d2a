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
import { TriggerTracer } from "@trigger.dev/core/v3/tracer";
import { ConsoleInterceptor, StandardResourceCatalog, TaskExecutor, type TaskExecutorOptions } from "@trigger.dev/core/v3/workers";

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

/** What Trigger.dev's own executor decided about one attempt. */
export interface DeployedAttemptResult {
  ok: boolean;
  output?: unknown;
  error?: { name?: string; message?: string };
  /** Set when the platform would retry, after this many ms. */
  retryDelayMs?: number;
  skippedRetrying: boolean;
}

/**
 * Runs one attempt of a registered task through Trigger.dev's TaskExecutor, the code a deployed
 * worker runs (payload parsing, error handling and retry decision included), so that tests prove
 * the Trigger.dev path with the platform's own logic rather than with the local engine's.
 */
export async function executeAsDeployedWorker(
  id: string,
  payload: unknown,
  options: { attempt?: number; runId?: string; retries?: { default?: RetryOptions } } = {},
): Promise<DeployedAttemptResult> {
  const task = catalog().getTask(id);
  if (!task) throw new Error(`task ${id} is not registered (load its catalog first)`);
  const executor = new TaskExecutor(task, {
    tracer: new TriggerTracer({ name: "paycron-deployed-worker", version: "0" }),
    tracingSDK: { flush: async () => {} } as unknown as TaskExecutorOptions["tracingSDK"],
    consoleInterceptor: new ConsoleInterceptor({ emit() {} } as never, true, true),
    retries: options.retries,
  });
  const now = new Date(0);
  const attempt = options.attempt ?? 1;
  const runId = options.runId ?? `run_${id}`;
  const ctx = {
    task: { id, filePath: catalog().getTaskManifest(id)?.filePath ?? id },
    attempt: { number: attempt, startedAt: now },
    run: { id: runId, tags: [], isTest: false, isReplay: false, createdAt: now, startedAt: now },
    queue: { id: `task/${id}`, name: `task/${id}` },
    environment: { id: "env", slug: "prod", type: "PRODUCTION" },
    organization: { id: "org", slug: "org", name: "org" },
    project: { id: "proj", ref: "proj_paycron", slug: "paycron", name: "paycron" },
    machine: { name: "micro", cpu: 1, memory: 0.5, centsPerMs: 0 },
  };
  const execution = {
    ...ctx,
    task: { ...ctx.task, exportName: id },
    attempt: { ...ctx.attempt, id: `attempt_${attempt}`, status: "EXECUTING", backgroundWorkerId: "bw", backgroundWorkerTaskId: "bwt" },
    run: { ...ctx.run, payload: JSON.stringify(payload), payloadType: "application/json", durationMs: 0, costInCents: 0, baseCostInCents: 0 },
  };
  const { result } = await executor.execute(execution as never, ctx as never, new AbortController().signal);
  if (result.ok) return { ok: true, output: result.output === undefined ? undefined : JSON.parse(result.output), skippedRetrying: false };
  const error = result.error as { name?: string; message?: string };
  return { ok: false, error, retryDelayMs: result.retry?.delay, skippedRetrying: result.skippedRetrying ?? false };
}
