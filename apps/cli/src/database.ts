import { join, resolve } from "node:path";
import { createDb, type Db } from "@paycron/db";
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from "@paycron/db/embedded";
import { readDevState } from "./dev-state.ts";
import type { CliEnv } from "./env.ts";

export interface CliDatabase {
  db: Db;
  url: string;
  /** Where the URL came from, for messages: DATABASE_URL, a running `pnpm dev`, or the embedded server. */
  source: string;
  /** Set when the CLI started the embedded server itself. */
  embedded?: EmbeddedPostgresHandle;
  close(): Promise<void>;
}

/**
 * The database a command works on: DATABASE_URL when set (any Postgres, e.g. Supabase);
 * otherwise the one a running `pnpm dev` of this data dir uses (it holds the embedded server,
 * which a second process cannot start); otherwise the embedded one, state kept on disk.
 */
export async function openDatabase(env: CliEnv): Promise<CliDatabase> {
  if (!env.DATABASE_URL) {
    const dev = readDevState(resolve(env.PAYCRON_DATA_DIR));
    if (dev) return connect(dev.databaseUrl, `the database of the running pnpm dev (pid ${dev.pid})`);
  }
  return openOwnDatabase(env, { detached: false });
}

/**
 * DATABASE_URL, or an embedded server this process owns. `pnpm dev` detaches it, so that a
 * terminal's Ctrl-C reaches only dev, which stops the server after everything that uses it.
 */
export async function openOwnDatabase(env: CliEnv, options: { detached: boolean }): Promise<CliDatabase> {
  if (env.DATABASE_URL) return connect(env.DATABASE_URL, "DATABASE_URL");
  const embedded = await startEmbeddedPostgres({ dataDir: join(resolve(env.PAYCRON_DATA_DIR), "postgres"), detached: options.detached });
  return connect(embedded.url, `embedded (${embedded.dataDir})`, embedded);
}

function connect(url: string, source: string, embedded?: EmbeddedPostgresHandle): CliDatabase {
  const db = createDb({ connectionString: url, applicationName: "paycron-cli" });
  return {
    db,
    url,
    source,
    embedded,
    close: async () => {
      await db.destroy();
      await embedded?.stop();
    },
  };
}
