import pg from "pg";
import { sql } from "kysely";
import type { Logger } from "@paycron/core";
import type { Db } from "@paycron/db";
import { installLocalSupabaseTriggers, LOCAL_RELAY_CHANNEL } from "./install-triggers.ts";

export interface LocalSupabaseWebhooksOptions {
  db: Db;
  /** The full endpoint, e.g. `${server.url}/webhooks/supabase`. */
  url: string;
  /** Sent as `Authorization: Bearer <secret>`, as a Supabase webhook would. */
  secret: string;
  logger: Logger;
  /** With it, a LISTEN connection delivers changes at once; without it the relay polls. */
  connectionString?: string;
  pollIntervalMs?: number;
  batchSize?: number;
}

export interface LocalSupabaseWebhooks {
  /** `table:TYPE` pairs that now fire webhooks. */
  installed: string[];
  /** Delivers everything pending now; resolves when the queue is empty or a delivery failed. */
  flush(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Installs the dev triggers and relays queued changes to the webhook endpoint, at least once:
 * a row is marked delivered only after a 2xx, so a crash or an unreachable endpoint means it is
 * sent again (the endpoint deduplicates on the payload hash). Deliveries are serial and in
 * queue order; a failure stops the pass and the next poll retries from there.
 */
export async function startLocalSupabaseWebhooks(options: LocalSupabaseWebhooksOptions): Promise<LocalSupabaseWebhooks> {
  const { db, logger } = options;
  const installed = await installLocalSupabaseTriggers(db);
  const pollMs = options.pollIntervalMs ?? (options.connectionString ? 5_000 : 500);
  const batchSize = options.batchSize ?? 100;
  const log = logger.child({ component: "local-supabase-relay" });

  let stopped = false;
  let running: Promise<number> | undefined;
  let again = false;

  const deliverPending = async (): Promise<number> => {
    let delivered = 0;
    for (;;) {
      const { rows } = await sql<{ id: string; payload: unknown }>`
        select id::text, payload from paycron_local.supabase_webhook_relay
        where delivered_at is null order by id limit ${batchSize}`.execute(db);
      if (rows.length === 0 || stopped) return delivered;
      for (const row of rows) {
        const error = await post(options.url, options.secret, row.payload);
        if (error) {
          await sql`update paycron_local.supabase_webhook_relay set attempts = attempts + 1, last_error = ${error} where id = ${row.id}::bigint`.execute(db);
          log.warn({ relayId: row.id, error }, "local Supabase webhook not delivered; will retry");
          return delivered;
        }
        await sql`update paycron_local.supabase_webhook_relay set attempts = attempts + 1, delivered_at = now(), last_error = null where id = ${row.id}::bigint`.execute(db);
        delivered++;
      }
    }
  };

  /** One pass at a time; a wake-up during a pass schedules exactly one more. */
  const flush = (): Promise<number> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let total = 0;
      do {
        again = false;
        total += await deliverPending().catch((error: Error) => {
          log.warn({ err: error.message }, "local Supabase relay pass failed");
          return 0;
        });
      } while (again && !stopped);
      return total;
    })().finally(() => {
      running = undefined;
    });
    return running;
  };

  let listener: pg.Client | undefined;
  if (options.connectionString) {
    listener = new pg.Client({ connectionString: options.connectionString, application_name: "paycron-local-supabase-relay" });
    listener.on("error", (error) => log.warn({ err: error.message }, "relay LISTEN connection lost; polling continues"));
    listener.on("notification", () => void flush());
    await listener.connect();
    await listener.query(`listen ${LOCAL_RELAY_CHANNEL}`);
  }
  const timer = setInterval(() => void flush(), pollMs);
  timer.unref();
  void flush();
  log.info({ installed, url: options.url }, "local Supabase webhooks installed");

  return {
    installed,
    flush,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
      await listener?.end().catch(() => {});
    },
  };
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
