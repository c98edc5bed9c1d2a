import { Logger as GraphileLogger, type LogLevel } from "graphile-worker";
import type { Logger } from "@paycron/core";
import type { RunJobPayload } from "./graphile-jobs.ts";

/**
 * graphile-worker's log lines as structured pino logs, in Paycron's terms. The executor already
 * logs each run's outcome with its task and run id, so graphile's own lifecycle lines
 * ("Completed task 1 (paycron_run, …)", "Worker connected…", and "Failed to read crontab file …;
 * cron is disabled": Paycron's crons are its own, graphile has no crontab by design) go to debug.
 * Its warnings and errors stay; a job it hands over becomes the run's task, run id and attempt
 * instead of the whole job row, and a job that failed (the executor itself failed, e.g. a lost
 * database connection) says which run it was.
 */
export function graphileLogger(logger: Logger): GraphileLogger {
  const child = logger.child({ component: "graphile-worker" });
  return new GraphileLogger((scope) => (level, message, meta) => {
    const { job, error, duration, success: _success, failure: _failure, ...rest } = meta ?? {};
    const fields: Record<string, unknown> = { ...scope, ...rest, ...jobFields(job) };
    if (error !== undefined) fields.err = error;
    if (typeof duration === "number") fields.ms = Math.round(duration);
    const [to, text] = translate(level, message, job);
    if (to === "error") child.error(fields, text);
    else if (to === "warn") child.warn(fields, text);
    else child.debug(fields, text);
  });
}

function translate(level: LogLevel, message: string, job: unknown): ["error" | "warn" | "debug", string] {
  if (level === "error" && isJob(job) && message.startsWith(`Failed task ${job.id} `)) {
    // graphile's message carries the whole stack; `err` has it once.
    return ["error", job.attempts < job.max_attempts ? "could not execute a run's job; graphile will retry the job" : "could not execute a run's job; graphile gave up on it"];
  }
  if (level === "error") return ["error", message];
  if (level === "warning") return ["warn", message];
  return ["debug", message];
}

interface JobRow {
  id: string | number;
  attempts: number;
  max_attempts: number;
  payload?: unknown;
}

function isJob(job: unknown): job is JobRow {
  return typeof job === "object" && job !== null && "id" in job && "attempts" in job && "max_attempts" in job;
}

/** The run a job executes, instead of the job row (~700 characters of JSON). */
function jobFields(job: unknown): Record<string, unknown> {
  if (!isJob(job)) return {};
  const payload = (job.payload ?? {}) as Partial<RunJobPayload>;
  return { task: payload.taskId, runId: payload.runId, attempt: payload.attempt, jobId: job.id, jobAttempt: `${job.attempts}/${job.max_attempts}` };
}
