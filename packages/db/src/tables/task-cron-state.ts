import type { Selectable } from "kysely";
import type { Timestamp, TimestampDefault } from "./columns.ts";

/** The last cron slot a scheduled task fired on the local engine. */
export interface TaskCronStateTable {
  task_id: string;
  last_slot: Timestamp;
  updated_at: TimestampDefault;
}
export type TaskCronState = Selectable<TaskCronStateTable>;
