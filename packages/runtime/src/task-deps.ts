import { z } from "zod";
import { createLogger, systemClock, type Clock, type Logger } from "@paycron/core";
import { createDb, type Db } from "@paycron/db";

/**
 * What a task's run needs from the outside world. The local engine and tests install their own
 * (a test clock, a test database); a worker deployed on Trigger.dev builds them from its
 * environment on first use.
 */
export interface TaskDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
}

let installed: TaskDeps | undefined;

export function installTaskDeps(deps: TaskDeps): void {
  installed = deps;
}

export function clearTaskDeps(): void {
  installed = undefined;
}

const workerEnv = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: "set DATABASE_URL (postgres://…) in the worker's environment" }),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

/** The deps of a deployed worker: its database from DATABASE_URL, the system clock, JSON logs. */
export function taskDepsFromEnvironment(env: NodeJS.ProcessEnv = process.env): TaskDeps {
  const parsed = workerEnv.safeParse(env);
  if (!parsed.success) {
    throw new Error(`task dependencies: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  return {
    db: createDb({ connectionString: parsed.data.DATABASE_URL, max: 5, applicationName: "paycron-task" }),
    clock: systemClock,
    logger: createLogger({ name: "paycron-task", level: parsed.data.LOG_LEVEL }),
  };
}

export function getTaskDeps(): TaskDeps {
  return (installed ??= taskDepsFromEnvironment());
}
