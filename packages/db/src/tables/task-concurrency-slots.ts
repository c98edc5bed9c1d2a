import type { Selectable } from "kysely";
import type { Timestamp } from "./columns.ts";

/** One held slot of a concurrency limit (packages/runtime/src/local/concurrency-slots.ts). */
export interface TaskConcurrencySlotsTable {
  limit_key: string;
  slot: number;
  run_id: string;
  lease_until: Timestamp;
}
export type TaskConcurrencySlot = Selectable<TaskConcurrencySlotsTable>;
