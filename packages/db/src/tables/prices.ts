import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";
import type { Id, Money, TimestampDefault } from "./columns.ts";

export type PriceInterval = "day" | "week" | "month" | "year";

export interface PricesTable {
  id: Id;
  organization_id: string;
  name: string;
  unit_amount: Money;
  currency: string;
  interval: PriceInterval;
  interval_count: Generated<number>;
  usage_meter_id: string | null;
  included_quantity: ColumnType<number, number | undefined, number>;
  trial_period_days: Generated<number>;
  active: Generated<boolean>;
  created_at: TimestampDefault;
}
export type Price = Selectable<PricesTable>;
export type NewPrice = Insertable<PricesTable>;
export type PriceUpdate = Updateable<PricesTable>;
