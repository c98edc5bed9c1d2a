import type { Clock } from "@paycron/core";
import { withTransaction, type Db } from "@paycron/db";
import { enqueueMany } from "@paycron/runtime";
import { assertStorable, outboxKey, webhookEventRow, type RecordedWebhookEvent, type RecordWebhookEventInput } from "./record-webhook-event.ts";

const keyOf = (i: { provider: string; providerEventId: string }) => `${i.provider}\u0000${i.providerEventId}`;

/**
 * recordWebhookEvent for many events in one transaction: one multi-row insert into
 * webhook_events and one into task_outbox (enqueueMany) instead of a transaction of five round trips each, which
 * is what lets ingestion keep up with a burst (see WebhookInbox). The guarantees are the same per event: stored and routed together or not at all, a redelivery
 * (in this batch, or already stored) writes nothing, and the outbox key is the event's.
 * Results are in input order. Throws when any event cannot be stored: the caller retries the
 * events one by one to find out which.
 */
export async function recordWebhookEvents(db: Db, inputs: readonly RecordWebhookEventInput[], clock: Clock): Promise<RecordedWebhookEvent[]> {
  const serialized = inputs.map((input) => assertStorable(input.payload));
  const now = clock.now();
  const firstIndex = new Map<string, number>();
  inputs.forEach((input, i) => {
    if (!firstIndex.has(keyOf(input))) firstIndex.set(keyOf(input), i);
  });
  const writers = [...firstIndex.values()];

  return withTransaction(db, async (tx) => {
    const inserted = await tx
      .insertInto("webhook_events")
      .values(writers.map((i) => webhookEventRow(inputs[i]!, serialized[i]!, now)))
      .onConflict((oc) => oc.columns(["provider", "provider_event_id"]).doNothing())
      .returning(["id", "provider", "provider_event_id", "status"])
      .execute();
    const fresh = new Map(inserted.map((row) => [keyOf({ provider: row.provider, providerEventId: row.provider_event_id }), row]));

    const known = new Map<string, { id: string; status: RecordedWebhookEvent["status"] }>();
    const missing = writers.map((i) => inputs[i]!).filter((input) => !fresh.has(keyOf(input)));
    if (missing.length > 0) {
      const existing = await tx
        .selectFrom("webhook_events")
        .select(["id", "provider", "provider_event_id", "status"])
        .where((eb) => eb.or(missing.map((m) => eb.and([eb("provider", "=", m.provider), eb("provider_event_id", "=", m.providerEventId)]))))
        .execute();
      for (const row of existing) known.set(keyOf({ provider: row.provider, providerEventId: row.provider_event_id }), row);
    }

    await enqueueMany(
      tx,
      clock,
      writers.flatMap((i) => {
        const input = inputs[i]!;
        const row = fresh.get(keyOf(input));
        if (!row || !input.taskId) return [];
        return [{ taskId: input.taskId, payload: { webhookEventId: row.id }, options: { idempotencyKey: outboxKey(input) } }];
      }),
    );

    return inputs.map((input, i) => {
      const key = keyOf(input);
      const row = fresh.get(key);
      if (row && firstIndex.get(key) === i) return { id: row.id, status: row.status, duplicate: false };
      const stored = row ?? known.get(key);
      if (!stored) throw new Error(`webhook event ${input.provider}/${input.providerEventId} neither inserted nor found`);
      return { id: stored.id, status: stored.status, duplicate: true };
    });
  });
}
