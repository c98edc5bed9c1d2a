import type { Generated, Insertable, Selectable, Updateable } from "kysely";
import type { Id, Timestamp, TimestampDefault } from "./columns.ts";

export type PaymentMethodType = "card" | "us_bank_account" | "sepa_debit" | "link";

export interface PaymentMethodsTable {
  id: Id;
  customer_id: string;
  stripe_payment_method_id: string;
  type: PaymentMethodType;
  brand: string | null;
  last4: string | null;
  exp_month: number | null;
  exp_year: number | null;
  is_default: Generated<boolean>;
  detached_at: Timestamp | null;
  created_at: TimestampDefault;
  updated_at: TimestampDefault;
}
export type PaymentMethod = Selectable<PaymentMethodsTable>;
export type NewPaymentMethod = Insertable<PaymentMethodsTable>;
export type PaymentMethodUpdate = Updateable<PaymentMethodsTable>;
