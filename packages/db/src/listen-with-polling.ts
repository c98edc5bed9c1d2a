import pg from "pg";
import type { Logger } from "@paycron/core";

export interface ListenWithPollingOptions {
  connectionString: string;
  /** A trusted identifier (a constant of ours): LISTEN takes no bind parameter. */
  channel: string;
  /**
   * The work a wake-up does. It never runs twice at once; `signal` aborts when stop() is called,
   * so a loop over a backlog can end early.
   */
  onWake: (signal: AbortSignal) => Promise<void>;
  /** Backup for a notification lost while reconnecting, and how work that comes due by time is found. */
  pollIntervalMs: number;
  logger: Logger;
  /** Shown in pg_stat_activity. */
  applicationName: string;
}

export interface ListenWithPolling {
  /** Runs onWake now, or once more after the pass in progress; resolves when that pass is done. */
  wake(): Promise<void>;
  stop(): Promise<void>;
}

const FIRST_RECONNECT_MS = 250;
const MAX_RECONNECT_MS = 30_000;

/**
 * Runs `onWake` when a NOTIFY arrives on `channel`, on every poll tick, and after each (re)connect,
 * since rows may have committed while nothing listened. Wake-ups during a pass coalesce into one
 * more pass. A lost LISTEN connection is reopened with exponential backoff while polling goes on.
 */
export function listenWithPolling(options: ListenWithPollingOptions): ListenWithPolling {
  const { logger, channel } = options;
  const stopping = new AbortController();
  let running: Promise<void> | undefined;
  let again = false;
  let client: pg.Client | undefined;
  let reconnect: NodeJS.Timeout | undefined;

  const pass = async () => {
    do {
      again = false;
      try {
        await options.onWake(stopping.signal);
      } catch (error) {
        logger.error({ err: error, channel }, "wake-up failed; retrying on the next poll");
      }
    } while (again && !stopping.signal.aborted);
  };

  const wake = (): Promise<void> => {
    if (stopping.signal.aborted) return running ?? Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = pass().finally(() => (running = undefined));
    return running;
  };

  const listen = async (backoffMs: number) => {
    if (stopping.signal.aborted) return;
    const connection = new pg.Client({ connectionString: options.connectionString, application_name: options.applicationName, connectionTimeoutMillis: 5_000 });
    client = connection;
    let lost = false;
    const retry = (error: unknown) => {
      if (stopping.signal.aborted || lost) return;
      lost = true;
      logger.warn({ err: error, channel, retryInMs: backoffMs }, "LISTEN connection lost; reconnecting");
      connection.removeAllListeners("end");
      void connection.end().catch(() => {});
      reconnect = setTimeout(() => void listen(Math.min(backoffMs * 2, MAX_RECONNECT_MS)), backoffMs);
    };
    connection.on("error", retry);
    connection.on("end", () => retry(new Error("connection ended")));
    connection.on("notification", () => void wake());
    try {
      await connection.connect();
      await connection.query(`LISTEN ${channel}`);
    } catch (error) {
      retry(error);
      return;
    }
    // The next loss starts the backoff over: only consecutive failures lengthen it.
    backoffMs = FIRST_RECONNECT_MS;
    void wake();
  };

  void listen(FIRST_RECONNECT_MS);
  const poll = setInterval(() => void wake(), options.pollIntervalMs);
  void wake();

  return {
    wake,
    async stop() {
      stopping.abort();
      clearInterval(poll);
      clearTimeout(reconnect);
      if (client) {
        client.removeAllListeners("end");
        await client.end().catch(() => {});
      }
      await running;
    },
  };
}
