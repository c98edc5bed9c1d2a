import type { Insertable, Selectable, Updateable } from "kysely";
import type { Id, Json, Timestamp, TimestampDefault } from "./columns.ts";

/** `succeeded`, `failed` and `aborted` are terminal: a run never leaves them. */
export type BillingRunStatus = "scheduled" | "in_progress" | "awaiting_payment" | "succeeded" | "failed" | "aborted";

export interface BillingRunsTable {
  id: Id;
  billing_period_id: string;
  subscription_id: string;
  attempt: number;
  scheduled_for: Timestamp;
  status: BillingRunStatus;
  lease_until: Timestamp | null;
  payment_method_id: string | null;
  stripe_payment_intent_id: string | null;
  last_event_at: Timestamp | null;
  /** When the charge's parameters were fixed: from then on a retry sends Stripe exactly these. */
  charge_requested_at: Timestamp | null;
  charge_amount: number | null;
  error: Json<Record<string, unknown>> | null;
  started_at: Timestamp | null;
  completed_at: Timestamp | null;
  created_at: TimestampDefault;
  updated_at: TimestampDefault;
}
export type BillingRun = Selectable<BillingRunsTable>;
export type NewBillingRun = Insertable<BillingRunsTable>;
export type BillingRunUpdate = Updateable<BillingRunsTable>;
