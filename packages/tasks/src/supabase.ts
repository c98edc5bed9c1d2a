import { webhookEventPayload } from "./webhook-event.ts";

/* Routed `table:TYPE` pairs; the table lives in @paycron/inbox (supabase-routes.ts). */
export const supabaseTaskPayloads = {
  "supabase-customers-insert": webhookEventPayload,
  "supabase-invoices-update": webhookEventPayload,
  "supabase-subscriptions-update": webhookEventPayload,
  "supabase-usage-events-insert": webhookEventPayload,
} as const;
