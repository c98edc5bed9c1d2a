import type { Generated, Insertable, Selectable, Updateable } from "kysely";
import type { Id, Json, Timestamp, TimestampDefault } from "./columns.ts";

export type WebhookProvider = "stripe" | "supabase";
/**
 * `received` waits for its task; `failed` records the last error and stays open; `processed`
 * (a handler acted), `ignored` (nothing to act on) and `unhandled` (its task ran, no handler acted
 * yet) are final, but a replay may re-open `unhandled` and `failed` (@paycron/inbox).
 */
export type WebhookEventStatus = "received" | "processed" | "ignored" | "failed" | "unhandled";

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
  /** How many times a replay re-opened the event; numbers the replay's outbox key. */
  replays: Generated<number>;
}
export type WebhookEvent = Selectable<WebhookEventsTable>;
export type NewWebhookEvent = Insertable<WebhookEventsTable>;
export type WebhookEventUpdate = Updateable<WebhookEventsTable>;
