import type { Generated, Insertable, Selectable, Updateable } from "kysely";
import type { Id, Json, Timestamp, TimestampDefault } from "./columns.ts";

export interface TaskOutboxTable {
  id: Id;
  task_id: string;
  payload: Json;
  idempotency_key: string;
  idempotency_expires_at: Timestamp;
  concurrency_key: string | null;
  available_at: TimestampDefault;
  lease_until: Timestamp | null;
  dispatched_at: Timestamp | null;
  engine_run_id: string | null;
  /** The Trigger.dev batch that carried the row, when it went with others (no run id is known then). */
  engine_batch_id: string | null;
  /** The local run that enqueued this row, when enqueued from inside a task. */
  parent_run_id: string | null;
  /** The run this row replays (`paycron runs replay`); its own run links back through outbox_id. */
  replay_of: string | null;
  attempts: Generated<number>;
  last_error: string | null;
  created_at: TimestampDefault;
}
export type TaskOutboxRow = Selectable<TaskOutboxTable>;
export type NewTaskOutboxRow = Insertable<TaskOutboxTable>;
export type TaskOutboxUpdate = Updateable<TaskOutboxTable>;
