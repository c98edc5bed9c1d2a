import type { Insertable, Selectable, Updateable } from "kysely";
import type { Id, Timestamp, TimestampDefault } from "./columns.ts";

export type EmailDeliveryStatus = "pending" | "sent" | "failed";

export interface EmailDeliveriesTable {
  id: Id;
  template: string;
  recipient: string;
  subject: string;
  idempotency_key: string;
  status: EmailDeliveryStatus;
  provider_message_id: string | null;
  html: string | null;
  text: string | null;
  error: string | null;
  created_at: TimestampDefault;
  sent_at: Timestamp | null;
}
export type EmailDelivery = Selectable<EmailDeliveriesTable>;
export type NewEmailDelivery = Insertable<EmailDeliveriesTable>;
export type EmailDeliveryUpdate = Updateable<EmailDeliveriesTable>;
