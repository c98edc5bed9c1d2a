import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TaskId } from "@paycron/tasks";

/** Tasks per throughput measurement (BENCH_TASKS, default 5,000). */
export const TASKS = Number(process.env.BENCH_TASKS ?? 5_000);
export const TASKS_DIR = fileURLToPath(new URL("../fixtures/trigger/", import.meta.url));

/*
 * How the local runtime configures graphile-worker (packages/local-engine/src: startLocalRuntime
 * and the worker it prepares), which the graphile baseline copies: `concurrency` run bodies at
 * once (startLocalRuntime's default 10), graphile holding JOBS_PER_RUN_SLOT jobs per run slot on a
 * pool of that many connections + 2, a local queue of 100, batched completion and failure
 * without delay, a 1 s poll interval. The engine does not export these, so runtimeConfigDrift()
 * looks for them in its source.
 */
export const CONCURRENCY = 10;
export const JOBS_PER_RUN_SLOT = 4;
export const GRAPHILE_CONCURRENCY = CONCURRENCY * JOBS_PER_RUN_SLOT;
export const GRAPHILE_POOL_MAX = GRAPHILE_CONCURRENCY + 2;
export const LOCAL_QUEUE_SIZE = 100;
export const POLL_INTERVAL_MS = 1_000;

/** The settings above that the local engine's source no longer shows (empty: all found). */
export function runtimeConfigDrift(): string[] {
  const dir = dirname(fileURLToPath(import.meta.resolve("@paycron/local-engine")));
  const source = readdirSync(dir)
    .filter((f) => f.endsWith(".ts"))
    .map((f) => readFileSync(join(dir, f), "utf8"))
    .join("\n");
  const expected: Record<string, RegExp> = {
    [`JOBS_PER_RUN_SLOT = ${JOBS_PER_RUN_SLOT}`]: new RegExp(`JOBS_PER_RUN_SLOT\\s*=\\s*${JOBS_PER_RUN_SLOT}\\b`),
    [`concurrency defaults to ${CONCURRENCY}`]: new RegExp(`concurrency\\s*\\?\\?\\s*${CONCURRENCY}\\b`),
    "graphile concurrency = concurrency × JOBS_PER_RUN_SLOT": /concurrency\s*\*\s*JOBS_PER_RUN_SLOT/,
    "graphile pool max = its jobs + 2": /max:\s*[\w.]+(\s*\*\s*JOBS_PER_RUN_SLOT)?\s*\+\s*2\b/,
    [`poll interval ${POLL_INTERVAL_MS} ms`]: /pollInterval:\s*options\.pollIntervalMs\s*\?\?\s*1_?000\b/,
    "completeJobBatchDelay 0": /completeJobBatchDelay:\s*0\b/,
    "failJobBatchDelay 0": /failJobBatchDelay:\s*0\b/,
    [`local queue ${LOCAL_QUEUE_SIZE}`]: new RegExp(`localQueueSize\\s*\\?\\?\\s*${LOCAL_QUEUE_SIZE}\\b`),
  };
  return Object.entries(expected)
    .filter(([, re]) => !re.test(source))
    .map(([what]) => what);
}

/**
 * The id the bench's no-op task (bench/fixtures/trigger/noop.ts) runs under: a task id that
 * @paycron/tasks registers, so the bench enqueues through enqueueMany with its payload check, as
 * callers do. Its payload contract is the webhook tasks' { webhookEventId: uuid }. Only the bench's
 * fixture directory is loaded, so the no-op is the only code that runs under it.
 */
export const BENCH_TASK_ID: TaskId = "supabase-usage-events-insert";

/** Called by both sides' no-op (the fixture task and the graphile job) when its code starts. */
const TASK_STARTED_HOOK = Symbol.for("paycron.bench.taskStarted");
type Hook = () => void;

export function taskStarted(): void {
  (globalThis as { [TASK_STARTED_HOOK]?: Hook })[TASK_STARTED_HOOK]?.();
}

/** Calls `fn` each time a no-op's code starts, until replaced; undefined unsets it. */
export function onTaskStarted(fn: Hook | undefined): void {
  (globalThis as { [TASK_STARTED_HOOK]?: Hook })[TASK_STARTED_HOOK] = fn;
}
