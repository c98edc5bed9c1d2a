import { sql } from "kysely";
import type { Logger } from "@paycron/core";
import { listenWithPolling, type Db } from "@paycron/db";
import { installLocalSupabaseTriggers, LOCAL_RELAY_CHANNEL } from "./install-triggers.ts";

export interface LocalSupabaseWebhooksOptions {
  db: Db;
  /** The same database as `db`: a LISTEN connection delivers changes as they commit. */
  connectionString: string;
  /** The full endpoint, e.g. `${server.url}/webhooks/supabase`. */
  url: string;
  /** Sent as `Authorization: Bearer <secret>`, as a Supabase webhook would. */
  secret: string;
  logger: Logger;
  /** Backup for a notification lost while the LISTEN connection was down, and the retry pace of a failed delivery. */
  pollIntervalMs?: number;
  batchSize?: number;
}

export interface LocalSupabaseWebhooks {
  /** `table:TYPE` pairs that now fire webhooks. */
  installed: string[];
  /** Delivers everything pending now; resolves when the queue is empty or a delivery failed. */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * `pnpm dev`'s stand-in for Supabase's database webhooks: installs the dev triggers and relays
 * queued changes to the webhook endpoint, at least once: a row is marked delivered only after a
 * 2xx, so a crash or an unreachable endpoint means it is sent again (the endpoint deduplicates on
 * the payload hash). Deliveries are serial and in queue order; a failure stops the pass and the
 * next poll retries from there.
 */
export async function startLocalSupabaseWebhooks(options: LocalSupabaseWebhooksOptions): Promise<LocalSupabaseWebhooks> {
  const { db } = options;
  const installed = await installLocalSupabaseTriggers(db);
  const batchSize = options.batchSize ?? 100;
  const log = options.logger.child({ component: "local-supabase-relay" });

  const deliverPending = async (stopping: AbortSignal): Promise<void> => {
    for (;;) {
      const { rows } = await sql<{ id: string; payload: unknown }>`
        select id::text, payload from paycron_local.supabase_webhook_relay
        where delivered_at is null order by id limit ${batchSize}`.execute(db);
      if (rows.length === 0 || stopping.aborted) return;
      for (const row of rows) {
        const error = await post(options.url, options.secret, row.payload);
        if (error) {
          await sql`update paycron_local.supabase_webhook_relay set attempts = attempts + 1, last_error = ${error} where id = ${row.id}::bigint`.execute(db);
          log.warn({ relayId: row.id, error }, "local Supabase webhook not delivered; will retry");
          return;
        }
        await sql`update paycron_local.supabase_webhook_relay set attempts = attempts + 1, delivered_at = now(), last_error = null where id = ${row.id}::bigint`.execute(db);
      }
    }
  };

  const listener = listenWithPolling({
    connectionString: options.connectionString,
    channel: LOCAL_RELAY_CHANNEL,
    pollIntervalMs: options.pollIntervalMs ?? 5_000,
    applicationName: "paycron-local-supabase-relay",
    logger: log,
    onWake: deliverPending,
  });
  log.info({ installed, url: options.url }, "local Supabase webhooks installed");
  return { installed, flush: listener.wake, stop: listener.stop };
}

async function post(url: string, secret: string, payload: unknown): Promise<string | undefined> {
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(10_000),
    });
    await res.arrayBuffer();
    return res.ok ? undefined : `HTTP ${res.status}`;
  } catch (error) {
    return (error as Error).message;
  }
}
