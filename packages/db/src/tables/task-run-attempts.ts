import type { Insertable, Selectable } from "kysely";
import type { Json, Timestamp } from "./columns.ts";
import type { TaskRunError } from "./task-runs.ts";

/**
 * An attempt of a local run that ended without completing it, written by a trigger on task_runs
 * (migration 20261230T010000). The last attempt of a completed run is the run row itself.
 */
export interface TaskRunAttemptsTable {
  run_id: string;
  attempt: number;
  started_at: Timestamp | null;
  ended_at: Timestamp;
  outcome: "retrying" | "failed" | "canceled";
  error: Json<TaskRunError> | null;
  next_attempt_at: Timestamp | null;
}
export type TaskRunAttempt = Selectable<TaskRunAttemptsTable>;
export type NewTaskRunAttempt = Insertable<TaskRunAttemptsTable>;
