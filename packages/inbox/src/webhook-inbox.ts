import { createGroupCommit, type Clock } from "@paycron/core";
import type { Db } from "@paycron/db";
import { recordWebhookEvent, type RecordedWebhookEvent, type RecordWebhookEventInput } from "./record-webhook-event.ts";
import { recordWebhookEvents } from "./record-webhook-events.ts";

export interface WebhookInboxOptions {
  /** Most events per transaction. */
  maxBatch?: number;
  /** Transactions in flight at once; keep it below the pool size. */
  parallel?: number;
}

export interface WebhookInbox {
  /** Resolves once the event is committed (stored and routed); rejects when it was not. */
  record(input: RecordWebhookEventInput): Promise<RecordedWebhookEvent>;
}

/**
 * Group commit for webhook deliveries. An event that arrives while fewer than `parallel`
 * transactions are open is stored at once, alone, so a quiet endpoint pays no waiting. Under
 * load, arrivals queue behind the open transactions and the next free one takes up to
 * `maxBatch` of them together: one multi-row insert, one commit. A caller still hears back only
 * after its own event has committed. Per-event transactions cost five round trips each, which
 * capped a 2-core box near 1,200 events/s; batches of ~25 reach ~3,400 (BENCHMARKS.md). Two open
 * transactions measured best: more just makes smaller batches and more commits.
 *
 * A batch that fails is retried one event per transaction, so a bad payload or a lost
 * connection is reported for the events it concerns and never fails its neighbours.
 */
export function createWebhookInbox(db: Db, clock: Clock, options: WebhookInboxOptions = {}): WebhookInbox {
  const record = createGroupCommit((inputs: RecordWebhookEventInput[]) => recordWebhookEvents(db, inputs, clock), {
    maxSize: options.maxBatch ?? 100,
    maxInFlight: options.parallel ?? 2,
    writeOne: (input) => recordWebhookEvent(db, input, clock),
  });
  return { record };
}
