import { resolve } from "node:path";
import { createDb, type Db } from "@paycron/db";
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from "@paycron/db/embedded";
import type { CliEnv } from "./env.ts";

export interface CliDatabase {
  db: Db;
  url: string;
  /** Set when the CLI started the embedded server itself. */
  embedded?: EmbeddedPostgresHandle;
  close(): Promise<void>;
}

/** DATABASE_URL when set (any Postgres, e.g. Supabase); otherwise the embedded one, state kept on disk. */
export async function openDatabase(env: CliEnv): Promise<CliDatabase> {
  let embedded: EmbeddedPostgresHandle | undefined;
  let url = env.DATABASE_URL;
  if (!url) {
    embedded = await startEmbeddedPostgres({ dataDir: resolve(env.PAYCRON_DATA_DIR, "postgres") });
    url = embedded.url;
  }
  const db = createDb({ connectionString: url, applicationName: "paycron-cli" });
  return {
    db,
    url,
    embedded,
    close: async () => {
      await db.destroy();
      await embedded?.stop();
    },
  };
}
