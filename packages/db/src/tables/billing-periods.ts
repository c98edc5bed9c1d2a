import type { Generated, Insertable, Selectable, Updateable } from "kysely";
import type { Id, Timestamp, TimestampDefault } from "./columns.ts";

export type BillingPeriodStatus = "upcoming" | "active" | "completed" | "past_due" | "canceled";

export interface BillingPeriodsTable {
  id: Id;
  subscription_id: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  status: BillingPeriodStatus;
  is_trial: Generated<boolean>;
  created_at: TimestampDefault;
  updated_at: TimestampDefault;
}
export type BillingPeriod = Selectable<BillingPeriodsTable>;
export type NewBillingPeriod = Insertable<BillingPeriodsTable>;
export type BillingPeriodUpdate = Updateable<BillingPeriodsTable>;
