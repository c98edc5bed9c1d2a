import type { WebhookEvent, WebhookProvider } from "@paycron/db";
import type { AcknowledgeDeps } from "./acknowledge-webhook-event.ts";
import { loadWebhookEvent } from "./load-webhook-event.ts";
import { markWebhookEventFailed, markWebhookEventIgnored, markWebhookEventProcessed } from "./settle-webhook-event.ts";

/** What a handler did with an event: acted on it, or decided it is not ours to act on (and why). */
export type WebhookHandlerOutcome = "processed" | { ignored: string };

export interface ProcessResult {
  webhookEventId: string;
  type: string;
  outcome: "processed" | "ignored";
  /** False when the event was already final (a duplicate or retried run): its effect was re-applied idempotently. */
  settled: boolean;
}

/**
 * The shape of every webhook handler: load the stored event, act on it, settle it. The handler's
 * effect must be idempotent (a unique key or a conditional update): a run may execute twice, and
 * settling happens after the effect commits. A handler that throws leaves the event `failed` with
 * the error, and the error goes on to the engine, which retries the run.
 */
export async function processWebhookEvent(
  deps: AcknowledgeDeps,
  input: { webhookEventId: string },
  provider: WebhookProvider,
  handle: (event: WebhookEvent) => Promise<WebhookHandlerOutcome>,
): Promise<ProcessResult> {
  const event = await loadWebhookEvent(deps.db, input.webhookEventId, provider);
  let outcome: WebhookHandlerOutcome;
  try {
    outcome = await handle(event);
  } catch (error) {
    await markWebhookEventFailed(deps.db, event.id, deps.clock, error instanceof Error ? error.message : String(error)).catch(() => false);
    throw error;
  }
  const log = { webhookEventId: event.id, providerEventId: event.provider_event_id, type: event.type };
  if (outcome === "processed") {
    const settled = await markWebhookEventProcessed(deps.db, event.id, deps.clock);
    deps.logger.info({ ...log, settled }, "webhook event processed");
    return { webhookEventId: event.id, type: event.type, outcome: "processed", settled };
  }
  const settled = await markWebhookEventIgnored(deps.db, event.id, deps.clock, outcome.ignored);
  deps.logger.info({ ...log, settled, reason: outcome.ignored }, "webhook event ignored");
  return { webhookEventId: event.id, type: event.type, outcome: "ignored", settled };
}

export const processStripeEvent = (
  deps: AcknowledgeDeps,
  input: { webhookEventId: string },
  handle: (event: WebhookEvent) => Promise<WebhookHandlerOutcome>,
) => processWebhookEvent(deps, input, "stripe", handle);
