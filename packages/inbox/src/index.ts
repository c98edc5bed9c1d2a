export { InboxError, type InboxErrorCode } from "./errors.ts";
export { recordWebhookEvent, type RecordedWebhookEvent, type RecordWebhookEventInput } from "./record-webhook-event.ts";
export { recordWebhookEvents } from "./record-webhook-events.ts";
export { createWebhookInbox, type WebhookInbox, type WebhookInboxOptions } from "./webhook-inbox.ts";
export { recordStripeEvent, recordSupabaseEvent, type RecordedProviderEvent } from "./record-provider-events.ts";
export { STRIPE_EVENT_ROUTES, stripeTaskFor, type RoutedStripeEventType } from "./stripe-routes.ts";
export { SUPABASE_EVENT_ROUTES, supabaseTaskFor, type RoutedSupabaseEvent } from "./supabase-routes.ts";
export { canonicalJson, supabaseEventKey, supabaseWebhookPayload, type SupabaseWebhookPayload } from "./supabase-payload.ts";
export { buildSampleSupabasePayload, SUPABASE_SAMPLE_EVENTS } from "./supabase-samples.ts";
export { loadWebhookEvent } from "./load-webhook-event.ts";
export { outboxKey } from "./record-webhook-event.ts";
export { markWebhookEventFailed, markWebhookEventIgnored, markWebhookEventProcessed, markWebhookEventUnhandled } from "./settle-webhook-event.ts";
export { replayWebhookEvents, type ReplayDeps, type ReplayedWebhookEvent, type ReplayResult } from "./replay-webhook-events.ts";
export type { ReplayWebhookEventsInput } from "./replay-filter.ts";
export {
  acknowledgeStripeEvent,
  acknowledgeSupabaseEvent,
  acknowledgeWebhookEvent,
  type AcknowledgeDeps,
  type AcknowledgeResult,
} from "./acknowledge-webhook-event.ts";
export {
  processStripeEvent,
  processWebhookEvent,
  type ProcessResult,
  type WebhookHandlerOutcome,
} from "./process-webhook-event.ts";
export { pruneWebhookEvents, type PruneWebhookEventsOptions } from "./prune-webhook-events.ts";
