import type { ColumnType, Insertable, Selectable } from "kysely";
import type { Id, Timestamp, TimestampDefault } from "./columns.ts";

export interface UsageEventsTable {
  id: Id;
  usage_meter_id: string;
  customer_id: string;
  subscription_id: string | null;
  quantity: ColumnType<number, number, number>;
  occurred_at: Timestamp;
  idempotency_key: string;
  properties: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: TimestampDefault;
}
export type UsageEvent = Selectable<UsageEventsTable>;
export type NewUsageEvent = Insertable<UsageEventsTable>;
