import type { Clock } from "@paycron/core";
import { withTransaction, type Db, type WebhookEventStatus, type WebhookProvider } from "@paycron/db";
import { enqueue } from "@paycron/runtime";
import type { TaskId, TaskPayload } from "@paycron/tasks";
import { InboxError } from "./errors.ts";

export interface RecordWebhookEventInput {
  provider: WebhookProvider;
  /** The provider's id for the event (Stripe `evt_…`, a payload hash for Supabase): the dedupe key. */
  providerEventId: string;
  type: string;
  payload: Record<string, unknown>;
  /** The task that processes the event; without one it is stored as `ignored`. */
  taskId?: TaskId;
}

export interface RecordedWebhookEvent {
  id: string;
  status: WebhookEventStatus;
  /** True when this delivery was a redelivery: nothing was written. */
  duplicate: boolean;
}

/**
 * Stores an event and routes it in one transaction: the webhook_events row and the outbox row
 * that starts its task commit together or not at all, so a 2xx (sent only after this returns)
 * always means "stored and scheduled".
 *
 * Redeliveries, including concurrent ones, meet UNIQUE(provider, provider_event_id): the
 * insert of the second waits for the first to commit, then does nothing. The outbox key is
 * derived from the event too, so even a bug here could not start a second run.
 */
export async function recordWebhookEvent(db: Db, input: RecordWebhookEventInput, clock: Clock): Promise<RecordedWebhookEvent> {
  const row = webhookEventRow(input, assertStorable(input.payload), clock.now());

  return withTransaction(db, async (tx) => {
    const inserted = await tx
      .insertInto("webhook_events")
      .values(row)
      .onConflict((oc) => oc.columns(["provider", "provider_event_id"]).doNothing())
      .returning("id")
      .executeTakeFirst();

    if (!inserted) {
      const existing = await tx
        .selectFrom("webhook_events")
        .select(["id", "status"])
        .where("provider", "=", input.provider)
        .where("provider_event_id", "=", input.providerEventId)
        .executeTakeFirstOrThrow();
      return { id: existing.id, status: existing.status, duplicate: true };
    }

    if (input.taskId) {
      const payload = { webhookEventId: inserted.id } as TaskPayload<typeof input.taskId>;
      await enqueue(tx, input.taskId, payload, {
        idempotencyKey: outboxKey(input),
        clock,
      });
    }
    return { id: inserted.id, status: row.status, duplicate: false };
  });
}

/** An event's webhook_events row: one with no task is stored as `ignored`, settled at once. */
export function webhookEventRow(input: RecordWebhookEventInput, payload: string, now: Date) {
  const status: WebhookEventStatus = input.taskId ? "received" : "ignored";
  return {
    provider: input.provider,
    provider_event_id: input.providerEventId,
    type: input.type,
    payload,
    status,
    received_at: now,
    processed_at: status === "ignored" ? now : null,
  };
}

/** The outbox key of an event's run: derived from the event, so a redelivery cannot start a second run. */
export const outboxKey = (input: { provider: string; providerEventId: string }) => `${input.provider}:${input.providerEventId}`;

/** The payload as JSON text, or a non-retryable error when Postgres jsonb could not hold it. */
export function assertStorable(payload: Record<string, unknown>): string {
  const serialized = JSON.stringify(payload);
  if (serialized.includes("\\u0000") && containsNul(payload)) {
    throw new InboxError("webhook_payload_unstorable", "payload contains a NUL character, which Postgres jsonb cannot store");
  }
  return serialized;
}

function containsNul(value: unknown): boolean {
  if (typeof value === "string") return value.includes("\u0000");
  if (value === null || typeof value !== "object") return false;
  if (Array.isArray(value)) return value.some(containsNul);
  return Object.entries(value).some(([k, v]) => k.includes("\u0000") || containsNul(v));
}
