import type { Generated, Insertable, Selectable, Updateable } from "kysely";
import type { Id, Timestamp, TimestampDefault } from "./columns.ts";

/** Stripe's vocabulary. `canceled` and `incomplete_expired` are terminal. */
export type SubscriptionStatus =
  | "trialing"
  | "active"
  | "past_due"
  | "unpaid"
  | "canceled"
  | "incomplete"
  | "incomplete_expired"
  | "paused";

export interface SubscriptionsTable {
  id: Id;
  organization_id: string;
  customer_id: string;
  status: SubscriptionStatus;
  currency: string;
  billing_cycle_anchor: Timestamp;
  current_period_start: Timestamp;
  current_period_end: Timestamp;
  trial_end: Timestamp | null;
  cancel_at_period_end: Generated<boolean>;
  cancel_at: Timestamp | null;
  canceled_at: Timestamp | null;
  cancellation_reason: string | null;
  ended_at: Timestamp | null;
  default_payment_method_id: string | null;
  backup_payment_method_id: string | null;
  created_at: TimestampDefault;
  updated_at: TimestampDefault;
}
export type Subscription = Selectable<SubscriptionsTable>;
export type NewSubscription = Insertable<SubscriptionsTable>;
export type SubscriptionUpdate = Updateable<SubscriptionsTable>;
