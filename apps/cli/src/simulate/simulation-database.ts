import { sql } from "kysely";
import { createDb, migrate, type Db } from "@paycron/db";
import { startEmbeddedPostgres } from "@paycron/db/embedded";
import { SimulationOptionsError } from "./options.ts";

export interface SimulationDatabase {
  db: Db;
  url: string;
  /** Where it is, for the report's reader: the URL given, or "a temporary embedded Postgres". */
  where: string;
  close(): Promise<void>;
}

/**
 * The given Postgres, migrated, when it holds no billing or cron state yet (the clock starts at a
 * fixed date: a second simulation on top of a first would find its cron slots already taken), or
 * a temporary embedded one, removed by close().
 */
export async function openSimulationDatabase(databaseUrl: string | undefined): Promise<SimulationDatabase> {
  if (!databaseUrl) {
    const pg = await startEmbeddedPostgres({ fast: true });
    const db = createDb({ connectionString: pg.url, applicationName: "paycron-simulate", max: 20 });
    try {
      await migrate(db);
    } catch (error) {
      await db.destroy();
      await pg.stop();
      throw error;
    }
    return {
      db,
      url: pg.url,
      where: "a temporary embedded Postgres",
      close: async () => {
        await db.destroy();
        await pg.stop();
      },
    };
  }
  const db = createDb({ connectionString: databaseUrl, applicationName: "paycron-simulate", max: 20 });
  try {
    await migrate(db);
    const { rows } = await sql<{ organizations: number; crons: number }>`
      select (select count(*)::int from organizations) as organizations, (select count(*)::int from task_cron_state) as crons`.execute(db);
    const { organizations, crons } = rows[0]!;
    if (organizations > 0 || crons > 0) {
      throw new SimulationOptionsError(
        `--database-url: the database already holds ${organizations} organizations and the state of ${crons} crons; ` +
          "the simulation runs its own clock from a fixed date and needs a database of its own (create an empty one)",
      );
    }
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return { db, url: databaseUrl, where: databaseUrl.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@"), close: () => db.destroy() };
}
