import type { Clock } from "@paycron/core";
import type { Db } from "@paycron/db";
import { recordWebhookEvent, type RecordedWebhookEvent } from "./record-webhook-event.ts";
import { stripeTaskFor } from "./stripe-routes.ts";
import { supabaseEventKey, type SupabaseWebhookPayload } from "./supabase-payload.ts";
import { supabaseTaskFor } from "./supabase-routes.ts";

export interface RecordedProviderEvent extends RecordedWebhookEvent {
  providerEventId: string;
  type: string;
  taskId?: string;
}

/** A verified Stripe event, deduplicated on its `evt_…` id and routed by type. */
export async function recordStripeEvent(
  db: Db,
  event: { id: string; type: string } & Record<string, unknown>,
  clock: Clock,
): Promise<RecordedProviderEvent> {
  const taskId = stripeTaskFor(event.type);
  const recorded = await recordWebhookEvent(db, { provider: "stripe", providerEventId: event.id, type: event.type, payload: event, taskId }, clock);
  return { ...recorded, providerEventId: event.id, type: event.type, taskId };
}

/** A validated Supabase database change, deduplicated on a hash of its content and routed by `table:TYPE`. */
export async function recordSupabaseEvent(db: Db, payload: SupabaseWebhookPayload, clock: Clock): Promise<RecordedProviderEvent> {
  const providerEventId = supabaseEventKey(payload);
  const type = `${payload.table}:${payload.type}`;
  const taskId = supabaseTaskFor(payload.schema, payload.table, payload.type);
  const recorded = await recordWebhookEvent(db, { provider: "supabase", providerEventId, type, payload, taskId }, clock);
  return { ...recorded, providerEventId, type, taskId };
}
