import pg from "pg";
import { dispatchDue, type DispatchDeps } from "./dispatch.ts";
import { OUTBOX_CHANNEL } from "./enqueue.ts";

export interface DispatcherOptions extends DispatchDeps {
  connectionString: string;
  /** Backup for a lost NOTIFY and the way delayed rows come due. */
  pollIntervalMs?: number;
}

export interface Dispatcher {
  /** Dispatch now (coalesced with a pass already running). */
  kick(): void;
  stop(): Promise<void>;
}

/**
 * Dispatches outbox rows right after the enqueueing transaction commits: enqueue() NOTIFYs
 * inside the transaction, Postgres delivers it at commit, and this LISTENer wakes. Polling covers
 * notifications lost while reconnecting, and the outbox-sweep task covers a dead dispatcher.
 */
export function startDispatcher(options: DispatcherOptions): Dispatcher {
  const { logger } = options;
  let stopped = false;
  let running: Promise<void> | undefined;
  let again = false;
  let listener: pg.Client | undefined;
  let reconnect: NodeJS.Timeout | undefined;

  const pass = async () => {
    do {
      again = false;
      try {
        // Batches until a pass finds nothing due; a full batch usually means more is waiting.
        while (!stopped && (await dispatchDue(options)).dispatched > 0);
      } catch (error) {
        logger.error({ err: error }, "outbox dispatch failed; retrying on the next poll");
      }
    } while (again && !stopped);
  };
  const kick = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = pass().finally(() => (running = undefined));
  };

  const listen = async (delayMs: number) => {
    if (stopped) return;
    const client = new pg.Client({ connectionString: options.connectionString, application_name: "paycron-dispatcher" });
    let lost = false;
    const retry = (error: unknown) => {
      if (stopped || lost) return;
      lost = true;
      logger.warn({ err: error }, "outbox LISTEN connection lost; reconnecting");
      client.removeAllListeners("end");
      void client.end().catch(() => {});
      reconnect = setTimeout(() => void listen(Math.min(delayMs * 2, 30_000)), delayMs);
    };
    client.on("error", retry);
    client.on("end", () => retry(new Error("connection ended")));
    client.on("notification", kick);
    try {
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      listener = client;
      kick(); // rows committed while we were not listening
    } catch (error) {
      retry(error);
    }
  };

  void listen(250);
  const poll = setInterval(kick, options.pollIntervalMs ?? 1_000);
  kick();

  return {
    kick,
    async stop() {
      stopped = true;
      clearInterval(poll);
      clearTimeout(reconnect);
      if (listener) {
        listener.removeAllListeners("end");
        await listener.end().catch(() => {});
      }
      await running;
    },
  };
}
