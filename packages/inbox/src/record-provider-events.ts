import type { Clock } from "@paycron/core";
import type { Db } from "@paycron/db";
import { recordWebhookEvent, type RecordedWebhookEvent, type RecordWebhookEventInput } from "./record-webhook-event.ts";
import { stripeTaskFor } from "./stripe-routes.ts";
import { supabaseEventKey, type SupabaseWebhookPayload } from "./supabase-payload.ts";
import { supabaseTaskFor } from "./supabase-routes.ts";

export interface RecordedProviderEvent extends RecordedWebhookEvent {
  providerEventId: string;
  type: string;
  taskId?: string;
}

/** How an event is written: straight to the database, or through a WebhookInbox that batches. */
export type RecordTarget = Db | { record(input: RecordWebhookEventInput): Promise<RecordedWebhookEvent> };

function write(target: RecordTarget, input: RecordWebhookEventInput, clock: Clock): Promise<RecordedWebhookEvent> {
  return "record" in target ? target.record(input) : recordWebhookEvent(target, input, clock);
}

/** A verified Stripe event, deduplicated on its `evt_…` id and routed by type. */
export async function recordStripeEvent(
  target: RecordTarget,
  event: { id: string; type: string } & Record<string, unknown>,
  clock: Clock,
): Promise<RecordedProviderEvent> {
  const taskId = stripeTaskFor(event.type);
  const recorded = await write(target, { provider: "stripe", providerEventId: event.id, type: event.type, payload: event, taskId }, clock);
  return { ...recorded, providerEventId: event.id, type: event.type, taskId };
}

/** A validated Supabase database change, deduplicated on a hash of its content and routed by `table:TYPE`. */
export async function recordSupabaseEvent(target: RecordTarget, payload: SupabaseWebhookPayload, clock: Clock): Promise<RecordedProviderEvent> {
  const providerEventId = supabaseEventKey(payload);
  const type = `${payload.table}:${payload.type}`;
  const taskId = supabaseTaskFor(payload.schema, payload.table, payload.type);
  const recorded = await write(target, { provider: "supabase", providerEventId, type, payload, taskId }, clock);
  return { ...recorded, providerEventId, type, taskId };
}
