import { AsyncLocalStorage } from "node:async_hooks";

/**
 * The local run executing in this async context, so that work a task enqueues records it as its
 * parent (task_runs.parent_run_id) without every domain function passing it along.
 */
export interface CurrentRun {
  runId: string;
  taskId: string;
}

const storage = new AsyncLocalStorage<CurrentRun>();

export function currentRun(): CurrentRun | undefined {
  return storage.getStore();
}

export function withCurrentRun<T>(run: CurrentRun, fn: () => T): T {
  return storage.run(run, fn);
}
