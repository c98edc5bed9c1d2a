import { fileURLToPath } from "node:url";
import { graphileSettings } from "@paycron/local-engine";
import type { TaskId } from "@paycron/tasks";

/** Tasks per throughput measurement (BENCH_TASKS, default 5,000). */
export const TASKS = Number(process.env.BENCH_TASKS ?? 5_000);
export const TASKS_DIR = fileURLToPath(new URL("../fixtures/trigger/", import.meta.url));

/*
 * How the local runtime configures graphile-worker for CONCURRENCY run bodies (startLocalRuntime's
 * default), taken from the engine itself, so the graphile baseline runs with exactly its settings:
 * job slots, pool size, local queue, batched completion and failure, poll interval.
 */
export const CONCURRENCY = 10;
export const GRAPHILE = graphileSettings({ concurrency: CONCURRENCY });

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
