import { runMigrations, type Logger as GraphileLogger } from "graphile-worker";
import type { Pool } from "pg";
import { createPool } from "@paycron/db";

const installed = new Set<string>();

/**
 * Installs graphile-worker's schema, once per database and process. Dispatching to the local
 * engine adds graphile jobs in the same statement as the run, so the schema must exist before a
 * process that runs no worker (a drain, the CLI) dispatches. Uses `pgPool` when the caller has
 * one, else a connection of its own.
 */
export async function ensureGraphileSchema(options: { connectionString: string; logger: GraphileLogger; pgPool?: Pool }): Promise<void> {
  if (installed.has(options.connectionString)) return;
  const pgPool = options.pgPool ?? createPool({ connectionString: options.connectionString, max: 1, applicationName: "paycron-migrate" });
  try {
    await runMigrations({ pgPool, logger: options.logger });
  } finally {
    if (!options.pgPool) await pgPool.end();
  }
  installed.add(options.connectionString);
}
