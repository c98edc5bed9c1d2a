import type { Insertable, Selectable, Updateable } from "kysely";
import type { Id, MoneyDefault, Timestamp, TimestampDefault } from "./columns.ts";

export type InvoiceStatus = "draft" | "open" | "paid" | "uncollectible" | "void";

export interface InvoicesTable {
  id: Id;
  organization_id: string;
  customer_id: string;
  subscription_id: string | null;
  billing_period_id: string | null;
  /** Assigned when the invoice leaves draft, gap-free per organization. */
  number: string | null;
  status: InvoiceStatus;
  currency: string;
  subtotal: MoneyDefault;
  discount: MoneyDefault;
  tax: MoneyDefault;
  total: MoneyDefault;
  amount_paid: MoneyDefault;
  amount_due: MoneyDefault;
  /** Paid, then given back: not due again. amount_due = total - amount_paid - amount_refunded. */
  amount_refunded: MoneyDefault;
  issued_at: Timestamp | null;
  due_at: Timestamp | null;
  paid_at: Timestamp | null;
  voided_at: Timestamp | null;
  /** Set when a charge paying it is disputed. */
  disputed_at: Timestamp | null;
  pdf_object: string | null;
  receipt_object: string | null;
  /** The invoice version (updated_at as text) each stored document was rendered from. */
  pdf_version: string | null;
  receipt_version: string | null;
  created_at: TimestampDefault;
  updated_at: TimestampDefault;
}
export type Invoice = Selectable<InvoicesTable>;
export type NewInvoice = Insertable<InvoicesTable>;
export type InvoiceUpdate = Updateable<InvoicesTable>;
