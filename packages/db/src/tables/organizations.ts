import type { Generated, Insertable, Selectable, Updateable } from "kysely";
import type { Id, TimestampDefault } from "./columns.ts";

export type PaymentTimeoutHours = Partial<Record<"card" | "link" | "us_bank_account" | "sepa_debit", number>>;

export type DunningFinalAction = "cancel" | "mark_unpaid" | "leave_past_due";

export interface OrganizationsTable {
  id: Id;
  name: string;
  default_currency: string;
  invoice_prefix: string;
  next_invoice_number: Generated<number>;
  timezone: Generated<string>;
  /** Days after each failed attempt before the next one; its length is the number of retries. */
  dunning_retry_days: Generated<number[]>;
  dunning_final_action: Generated<DunningFinalAction>;
  trial_end_without_payment_method: Generated<"cancel" | "pause">;
  trial_reminder_days: Generated<number>;
  /** Hours a payment may stay processing or requires_action, per payment method type. */
  payment_timeout_hours: Generated<PaymentTimeoutHours>;
  /** Where the organization's own billing emails go; printed on its invoices. */
  billing_email: string | null;
  /** The postal address as printed, one line each. */
  address_lines: Generated<string[]>;
  /** Printed at the bottom of its invoices and receipts. */
  invoice_footer: string | null;
  created_at: TimestampDefault;
  updated_at: TimestampDefault;
}
export type Organization = Selectable<OrganizationsTable>;
export type NewOrganization = Insertable<OrganizationsTable>;
export type OrganizationUpdate = Updateable<OrganizationsTable>;
