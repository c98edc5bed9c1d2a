import type { WebhookProvider } from "@paycron/db";
import type { TaskDeps } from "@paycron/runtime";
import { loadWebhookEvent } from "./load-webhook-event.ts";
import { markWebhookEventUnhandled } from "./settle-webhook-event.ts";

/** A task's deps: acknowledging runs inside the event's task. */
export type AcknowledgeDeps = Pick<TaskDeps, "db" | "clock" | "logger">;

export interface AcknowledgeResult {
  webhookEventId: string;
  type: string;
  /** False when the event was already final (a retried or duplicate run): nothing changed. */
  settled: boolean;
}

/**
 * What a webhook task does until its business effect exists: load the stored event (proving the
 * run is tied to a real delivery) and settle it as `unhandled`, not `processed`: nothing acted
 * on it, so `paycron webhook replay` can run it again once its handler exists. The billing
 * handlers replace this per type and keep the same shape: load, act idempotently, settle.
 */
export async function acknowledgeWebhookEvent(
  deps: AcknowledgeDeps,
  input: { webhookEventId: string },
  provider: WebhookProvider,
): Promise<AcknowledgeResult> {
  const event = await loadWebhookEvent(deps.db, input.webhookEventId, provider);
  const settled = await markWebhookEventUnhandled(deps.db, event.id, deps.clock);
  deps.logger.info({ webhookEventId: event.id, providerEventId: event.provider_event_id, type: event.type, settled }, "webhook event acknowledged; no handler acted on it");
  return { webhookEventId: event.id, type: event.type, settled };
}

export const acknowledgeStripeEvent = (deps: AcknowledgeDeps, input: { webhookEventId: string }) =>
  acknowledgeWebhookEvent(deps, input, "stripe");

export const acknowledgeSupabaseEvent = (deps: AcknowledgeDeps, input: { webhookEventId: string }) =>
  acknowledgeWebhookEvent(deps, input, "supabase");
