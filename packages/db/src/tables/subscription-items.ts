import type { Generated, Insertable, Selectable, Updateable } from "kysely";
import type { Id, Timestamp, TimestampDefault } from "./columns.ts";

export type ItemKind = "static" | "usage";

export interface SubscriptionItemsTable {
  id: Id;
  subscription_id: string;
  price_id: string;
  quantity: Generated<number>;
  kind: ItemKind;
  created_at: TimestampDefault;
  ended_at: Timestamp | null;
}
export type SubscriptionItem = Selectable<SubscriptionItemsTable>;
export type NewSubscriptionItem = Insertable<SubscriptionItemsTable>;
export type SubscriptionItemUpdate = Updateable<SubscriptionItemsTable>;
