import type { Insertable, Selectable } from "kysely";
import type { Id, TimestampDefault } from "./columns.ts";

export type UsageAggregation = "sum" | "count" | "max";

export interface UsageMetersTable {
  id: Id;
  organization_id: string;
  slug: string;
  name: string;
  aggregation: UsageAggregation;
  created_at: TimestampDefault;
}
export type UsageMeter = Selectable<UsageMetersTable>;
export type NewUsageMeter = Insertable<UsageMetersTable>;
