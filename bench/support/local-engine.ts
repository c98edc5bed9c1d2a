import { fileURLToPath } from "node:url";

/** What both local-engine benches run: N no-op tasks at concurrency 10, graphile's local queue 100. */
export const TASKS = Number(process.env.BENCH_TASKS ?? 5_000);
export const CONCURRENCY = 10;
export const LOCAL_QUEUE_SIZE = 100;
export const TASKS_DIR = fileURLToPath(new URL("../fixtures/trigger/", import.meta.url));

/** Called by bench/fixtures/trigger/noop.ts when a run's code starts (the benches set it). */
export const TASK_STARTED_HOOK = Symbol.for("paycron.bench.taskStarted");
type Hook = (payload: { seq?: number }) => void;

/** Calls `fn` each time a no-op run's code starts, until replaced; undefined unsets it. */
export function onTaskStarted(fn: Hook | undefined): void {
  (globalThis as { [TASK_STARTED_HOOK]?: Hook })[TASK_STARTED_HOOK] = fn;
}
