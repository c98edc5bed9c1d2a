import { AbortTaskRunError } from "@trigger.dev/sdk";
import { isDomainError } from "@paycron/core";
import { dispatchDue } from "./outbox/dispatch.ts";
import { createRunOutbox, flushRunOutbox, withRunOutbox } from "./outbox/run-outbox.ts";
import { currentRun } from "./run-context.ts";
import { loadTaskDeps, type TaskDeps } from "./task-deps.ts";

/**
 * The body of every task adapter, the same on Trigger.dev and on the local engine:
 * - follow-up runs the task enqueues are handed to the engine as soon as their transaction commits
 *   (withTransaction), or at the latest when the run ends; the outbox-sweep cron stays the backstop;
 * - a DomainError that says it is not retryable (a declined card, a malformed stored event) ends the
 *   run without retry, as AbortTaskRunError does on both engines.
 */
export async function runTask<T>(fn: (deps: TaskDeps) => Promise<T>): Promise<T> {
  const deps = withRunLogger(await loadTaskDeps());
  const outbox = createRunOutbox((ids) => dispatchCommitted(deps, ids));
  try {
    return await withRunOutbox(outbox, () => fn(deps));
  } catch (error) {
    throw isDomainError(error) && !error.retryable ? abortWith(error) : error;
  } finally {
    await flushRunOutbox(outbox);
  }
}

/**
 * On the local engine, the lines a task's code logs name its task and run (the fields the
 * executor's own lines carry). The other deps are the same properties, lazy providers included.
 */
function withRunLogger(deps: TaskDeps): TaskDeps {
  const run = currentRun();
  if (!run) return deps;
  const logger = deps.logger.child({ task: run.taskId, runId: run.runId });
  return Object.defineProperties({}, { ...Object.getOwnPropertyDescriptors(deps), logger: { value: logger, enumerable: true } }) as TaskDeps;
}

function abortWith(error: Error & { code: string }): AbortTaskRunError {
  const abort = new AbortTaskRunError(`${error.code}: ${error.message}`);
  abort.cause = error;
  return abort;
}

async function dispatchCommitted(deps: TaskDeps, ids: string[]): Promise<void> {
  try {
    await dispatchDue(deps, { ids });
  } catch (error) {
    deps.logger.warn({ err: error, outboxIds: ids }, "could not dispatch follow-up runs; the outbox sweep will");
  }
}
