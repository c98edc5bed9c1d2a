import { type Clock, type Logger } from "@paycron/core";
import type { Db } from "@paycron/db";

/**
 * What a task's run needs from the outside world. The local engine and tests install their own
 * (a test clock, a test database); on Trigger.dev the first task of a process builds them from
 * the environment.
 */
export interface TaskDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
}

let installed: TaskDeps | undefined;
let fromEnvironment: (() => TaskDeps) | undefined;

export function installTaskDeps(deps: TaskDeps): void {
  installed = deps;
}

export function clearTaskDeps(): void {
  installed = undefined;
}

/** How a deployed worker builds its deps on first use (set by trigger/init-style bootstrap). */
export function setTaskDepsFactory(factory: () => TaskDeps): void {
  fromEnvironment = factory;
}

export function getTaskDeps(): TaskDeps {
  if (installed) return installed;
  if (fromEnvironment) return (installed = fromEnvironment());
  throw new Error("task dependencies are not installed: start the local engine or call setTaskDepsFactory first");
}
