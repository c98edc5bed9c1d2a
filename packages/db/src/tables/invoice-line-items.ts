import type { ColumnType, Insertable, Selectable } from "kysely";
import type { Id, Timestamp, TimestampDefault } from "./columns.ts";

export type LineItemKind = "subscription" | "usage" | "proration" | "credit";

export interface InvoiceLineItemsTable {
  id: Id;
  invoice_id: string;
  kind: LineItemKind;
  description: string;
  quantity: ColumnType<number, number, number>;
  unit_amount: ColumnType<number, number, number>;
  /** Negative only for credits. */
  amount: ColumnType<number, number, number>;
  period_start: Timestamp | null;
  period_end: Timestamp | null;
  price_id: string | null;
  created_at: TimestampDefault;
}
export type InvoiceLineItem = Selectable<InvoiceLineItemsTable>;
export type NewInvoiceLineItem = Insertable<InvoiceLineItemsTable>;
