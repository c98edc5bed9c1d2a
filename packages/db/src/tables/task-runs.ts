import type { Generated, Insertable, Selectable, Updateable } from "kysely";
import type { Id, Json, Timestamp, TimestampDefault } from "./columns.ts";

export type TaskRunStatus = "queued" | "delayed" | "executing" | "retrying" | "completed" | "failed" | "canceled";

export interface TaskRunError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
}

export interface TaskRunsTable {
  id: Id;
  task_id: string;
  status: TaskRunStatus;
  payload: Json;
  attempt: Generated<number>;
  max_attempts: Generated<number>;
  output: Json | null;
  error: Json<TaskRunError> | null;
  idempotency_key: string | null;
  concurrency_key: string | null;
  outbox_id: string | null;
  parent_run_id: string | null;
  run_at: TimestampDefault;
  /** While executing: the worker renews this; once it passes, another worker retries the run. */
  lease_until: Timestamp | null;
  worker_id: string | null;
  /** The first attempt's start; attempt_started_at is the current (or last) attempt's. */
  started_at: Timestamp | null;
  attempt_started_at: Timestamp | null;
  finished_at: Timestamp | null;
  created_at: TimestampDefault;
  updated_at: TimestampDefault;
}
export type TaskRun = Selectable<TaskRunsTable>;
export type NewTaskRun = Insertable<TaskRunsTable>;
export type TaskRunUpdate = Updateable<TaskRunsTable>;
