import type { Generated, Insertable, Selectable, Updateable } from "kysely";
import type { Id, Json, Timestamp, TimestampDefault } from "./columns.ts";

export type WebhookProvider = "stripe" | "supabase";
export type WebhookEventStatus = "received" | "processed" | "ignored" | "failed";

export interface WebhookEventsTable {
  id: Id;
  provider: WebhookProvider;
  provider_event_id: string;
  type: string;
  payload: Json<Record<string, unknown>>;
  status: WebhookEventStatus;
  attempts: Generated<number>;
  error: string | null;
  received_at: TimestampDefault;
  processed_at: Timestamp | null;
}
export type WebhookEvent = Selectable<WebhookEventsTable>;
export type NewWebhookEvent = Insertable<WebhookEventsTable>;
export type WebhookEventUpdate = Updateable<WebhookEventsTable>;
