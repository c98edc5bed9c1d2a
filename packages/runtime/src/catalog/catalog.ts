import { readdirSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { DomainError } from "@paycron/core";
import {
  concurrencyLimitDefinitions,
  importTaskFile,
  registeredTask,
  taskIdCollisions,
  type ConcurrencyLimitDefinition,
  type RegisteredTask,
  type RetryOptions,
} from "./sdk-internals.ts";

/** The production task directory: <repo>/trigger, next to trigger.config.ts. */
export const DEFAULT_TASKS_DIR = fileURLToPath(new URL("../../../../trigger/", import.meta.url));

export interface CatalogTask {
  id: string;
  /** Path relative to the catalog's directory, e.g. "stripe/payment-intent-succeeded.ts". */
  file: string;
  kind: "schema" | "schedule" | "plain";
  run: RegisteredTask["run"];
  /** Throws on an invalid payload; the local engine fails such a run without retrying. */
  parsePayload(payload: unknown): unknown;
  schema?: unknown;
  /** Task-level retry merged over trigger.config.ts retries.default; maxAttempts 1 means none. */
  retry: RetryOptions;
  /** True when neither the task nor the config set a policy (Trigger.dev would not retry). */
  retryIsImplicit: boolean;
  queueName: string;
  concurrency: { total?: number; perKey?: number; limits: ConcurrencyLimitDefinition[] };
  maxDurationSeconds?: number;
  schedule?: { cron: string; timezone: string; window?: string };
}

export interface TaskCatalog {
  dir: string;
  tasks: ReadonlyMap<string, CatalogTask>;
  get(id: string): CatalogTask;
  has(id: string): boolean;
  /** Files that define no task or more than one (the convention is exactly one). */
  problems: string[];
}

interface TriggerConfigLike {
  maxDuration?: number;
  retries?: { default?: RetryOptions };
}

export interface LoadCatalogOptions {
  /** Directory of task files; the production trigger/ by default, a fixtures dir in tests. */
  dir?: string;
  /** trigger.config.ts path or object; by default <dir>/../trigger.config.ts. */
  config?: string | TriggerConfigLike;
}

/** "stripe/payment-intent-succeeded.ts" → "stripe-payment-intent-succeeded". */
export function taskIdForFile(relativePath: string): string {
  return relativePath.replace(/\.(m?ts|m?js)$/, "").split(sep).join("/").replaceAll("/", "-");
}

export function listTaskFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(m?ts|m?js)$/.test(entry.name) && !/\.(test|spec)\.|\.d\.ts$/.test(entry.name)) files.push(path);
    }
  };
  walk(dir);
  // init.ts is Trigger.dev's place for global hooks, not a task.
  return files.filter((f) => relative(dir, f) !== "init.ts").sort();
}

const cache = new Map<string, Promise<TaskCatalog>>();

/**
 * Imports every task file of `dir` into the SDK's resource catalog and describes each task the
 * way the local engine needs it. Loaded once per directory per process.
 */
export function loadTaskCatalog(options: LoadCatalogOptions = {}): Promise<TaskCatalog> {
  const dir = resolve(options.dir ?? DEFAULT_TASKS_DIR);
  const key = `${dir}|${typeof options.config === "string" ? options.config : ""}`;
  let loading = cache.get(key);
  if (!loading || typeof options.config === "object") {
    loading = load(dir, options.config);
    if (typeof options.config !== "object") cache.set(key, loading);
    loading.catch(() => cache.delete(key));
  }
  return loading;
}

async function load(dir: string, configOption: LoadCatalogOptions["config"]): Promise<TaskCatalog> {
  const config = await readConfig(configOption ?? resolve(dir, "../trigger.config.ts"));
  const defaultRetry = config.retries?.default;
  const tasks = new Map<string, CatalogTask>();
  const problems: string[] = [];

  for (const path of listTaskFiles(dir)) {
    const file = relative(dir, path);
    const ids = await importTaskFile(path, (p) => import(pathToFileURL(p).href));
    if (ids.length !== 1) {
      problems.push(`${file}: defines ${ids.length} tasks (${ids.join(", ") || "none"}); a task file holds exactly one`);
    }
    for (const id of ids) {
      const registered = registeredTask(id)!;
      tasks.set(id, describe(registered, file, defaultRetry, config.maxDuration));
    }
  }
  for (const c of taskIdCollisions()) {
    const inDir = c.filePaths.filter((p) => p.startsWith(dir));
    if (inDir.length > 1) problems.push(`task id "${c.id}" is defined in ${inDir.map((p) => relative(dir, p)).join(" and ")}`);
  }

  return {
    dir,
    tasks,
    problems,
    has: (id) => tasks.has(id),
    get(id) {
      const task = tasks.get(id);
      if (!task) throw new DomainError("UNKNOWN_TASK", `unknown task "${id}": no file under ${dir} defines it`);
      return task;
    },
  };
}

async function readConfig(config: string | TriggerConfigLike): Promise<TriggerConfigLike> {
  if (typeof config !== "string") return config;
  const module = (await import(pathToFileURL(config).href)) as { default?: TriggerConfigLike; config?: TriggerConfigLike };
  return module.default ?? module.config ?? {};
}

function describe(t: RegisteredTask, file: string, defaultRetry: RetryOptions | undefined, maxDuration?: number): CatalogTask {
  const limits = concurrencyLimitDefinitions();
  const named = (t.concurrency?.limits ?? []).map((name) => {
    const limit = limits.find((l) => l.name === name);
    if (!limit) throw new DomainError("UNKNOWN_CONCURRENCY_LIMIT", `task ${t.id} uses concurrency limit "${name}", which no concurrencyLimit() defines`);
    return limit;
  });
  // The deprecated queue.concurrencyLimit still means "the whole task" when no key is given.
  const queueLimit = t.queue?.concurrencyLimit ?? undefined;
  const kind = t.triggerSource === "schedule" ? "schedule" : t.parsePayload ? "schema" : "plain";
  return {
    id: t.id,
    file,
    kind,
    run: t.run,
    parsePayload: (payload) => (t.parsePayload ? t.parsePayload(payload) : kind === "schedule" ? reviveSchedulePayload(payload) : payload),
    schema: t.schema,
    retry: t.retry ?? defaultRetry ?? { maxAttempts: 1 },
    retryIsImplicit: !t.retry && !defaultRetry,
    queueName: t.queue?.name ?? `task/${t.id}`,
    concurrency: { total: t.concurrency?.inline?.total ?? queueLimit, perKey: t.concurrency?.inline?.perKey, limits: named },
    maxDurationSeconds: t.maxDuration ?? maxDuration,
    schedule: t.schedule,
  };
}

/** Stored as JSON, the schedule payload's times are strings; the task sees Dates, as on Trigger.dev. */
function reviveSchedulePayload(payload: unknown): unknown {
  if (!payload || typeof payload !== "object") return payload;
  const p = payload as Record<string, unknown>;
  const date = (v: unknown) => (typeof v === "string" ? new Date(v) : v);
  return {
    ...p,
    timestamp: date(p.timestamp),
    lastTimestamp: p.lastTimestamp === undefined || p.lastTimestamp === null ? undefined : date(p.lastTimestamp),
    upcoming: Array.isArray(p.upcoming) ? p.upcoming.map(date) : [],
  };
}
