import type { ColumnType, Insertable, Selectable } from "kysely";
import type { Id, Money, TimestampDefault } from "./columns.ts";
import type { ItemKind } from "./subscription-items.ts";

export interface BillingPeriodItemsTable {
  id: Id;
  billing_period_id: string;
  subscription_item_id: string | null;
  price_id: string;
  kind: ItemKind;
  description: string;
  quantity: ColumnType<number, number, number>;
  unit_amount: Money;
  currency: string;
  created_at: TimestampDefault;
}
export type BillingPeriodItem = Selectable<BillingPeriodItemsTable>;
export type NewBillingPeriodItem = Insertable<BillingPeriodItemsTable>;
