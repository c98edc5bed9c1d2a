import { z } from "zod";

/** A Supabase database-webhook task gets the stored webhook_events row id; the change is loaded from there. */
export const supabaseEventPayload = z.object({ webhookEventId: z.uuid() });

/* Routed `table:TYPE` pairs; the table lives in @paycron/inbox (supabase-routes.ts). */
export const supabaseTaskPayloads = {
  "supabase-customers-insert": supabaseEventPayload,
  "supabase-invoices-update": supabaseEventPayload,
  "supabase-subscriptions-update": supabaseEventPayload,
  "supabase-usage-events-insert": supabaseEventPayload,
} as const;
