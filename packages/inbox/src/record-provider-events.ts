import type { RecordedWebhookEvent } from "./record-webhook-event.ts";
import { stripeTaskFor } from "./stripe-routes.ts";
import { supabaseEventKey, type SupabaseWebhookPayload } from "./supabase-payload.ts";
import { supabaseTaskFor } from "./supabase-routes.ts";
import type { WebhookInbox } from "./webhook-inbox.ts";

export interface RecordedProviderEvent extends RecordedWebhookEvent {
  providerEventId: string;
  type: string;
  taskId?: string;
}

/** A verified Stripe event, deduplicated on its `evt_…` id and routed by type. */
export async function recordStripeEvent(
  inbox: WebhookInbox,
  event: { id: string; type: string } & Record<string, unknown>,
): Promise<RecordedProviderEvent> {
  const taskId = stripeTaskFor(event.type);
  const recorded = await inbox.record({ provider: "stripe", providerEventId: event.id, type: event.type, payload: event, taskId });
  return { ...recorded, providerEventId: event.id, type: event.type, taskId };
}

/** A validated Supabase database change, deduplicated on a hash of its content and routed by `table:TYPE`. */
export async function recordSupabaseEvent(inbox: WebhookInbox, payload: SupabaseWebhookPayload): Promise<RecordedProviderEvent> {
  const providerEventId = supabaseEventKey(payload);
  const type = `${payload.table}:${payload.type}`;
  const taskId = supabaseTaskFor(payload.schema, payload.table, payload.type);
  const recorded = await inbox.record({ provider: "supabase", providerEventId, type, payload, taskId });
  return { ...recorded, providerEventId, type, taskId };
}
