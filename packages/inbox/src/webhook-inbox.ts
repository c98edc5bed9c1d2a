import type { Clock } from "@paycron/core";
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

interface Pending {
  input: RecordWebhookEventInput;
  resolve(result: RecordedWebhookEvent): void;
  reject(error: unknown): void;
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
  const maxBatch = options.maxBatch ?? 100;
  const parallel = options.parallel ?? 2;
  const queue: Pending[] = [];
  let open = 0;

  const runBatch = async (batch: Pending[]) => {
    if (batch.length > 1) {
      try {
        const results = await recordWebhookEvents(db, batch.map((p) => p.input), clock);
        batch.forEach((p, i) => p.resolve(results[i]!));
        return;
      } catch {
        // Fall through: find out which events fail, and store the rest.
      }
    }
    for (const p of batch) {
      try {
        p.resolve(await recordWebhookEvent(db, p.input, clock));
      } catch (error) {
        p.reject(error);
      }
    }
  };

  const pump = () => {
    while (open < parallel && queue.length > 0) {
      const batch = queue.splice(0, maxBatch);
      open++;
      void runBatch(batch).finally(() => {
        open--;
        pump();
      });
    }
  };

  return {
    record: (input) =>
      new Promise<RecordedWebhookEvent>((resolve, reject) => {
        queue.push({ input, resolve, reject });
        pump();
      }),
  };
}
