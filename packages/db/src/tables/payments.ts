import type { Insertable, Selectable, Updateable } from "kysely";
import type { Id, Money, MoneyDefault, Timestamp, TimestampDefault } from "./columns.ts";

export type PaymentStatus = "processing" | "requires_action" | "succeeded" | "failed" | "canceled" | "refunded";

export interface PaymentsTable {
  id: Id;
  invoice_id: string;
  billing_run_id: string | null;
  customer_id: string;
  payment_method_id: string | null;
  amount: Money;
  amount_refunded: MoneyDefault;
  currency: string;
  status: PaymentStatus;
  stripe_payment_intent_id: string | null;
  stripe_charge_id: string | null;
  failure_code: string | null;
  failure_message: string | null;
  settled_at: Timestamp | null;
  /** Stripe `created` of the PaymentIntent state last applied: an older event never overwrites it. */
  last_event_at: Timestamp | null;
  stripe_dispute_id: string | null;
  disputed_at: Timestamp | null;
  created_at: TimestampDefault;
  updated_at: TimestampDefault;
}
export type Payment = Selectable<PaymentsTable>;
export type NewPayment = Insertable<PaymentsTable>;
export type PaymentUpdate = Updateable<PaymentsTable>;
