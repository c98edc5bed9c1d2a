import { afterAll, beforeAll, inject } from "vitest";
import { createDb, type Db } from "../pool.ts";
import { createDatabaseFromTemplate, dropDatabase } from "./template.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** The embedded Postgres server started once per test run (tests/global-setup.ts). */
    pgServerUrl: string;
  }
}

export interface TestDb {
  db: Db;
  /** Connection string of this file's own database. */
  url: string;
  name: string;
  serverUrl: string;
}

/**
 * Gives the calling test file its own database, copied from the migrated template before its
 * tests and dropped after them. Read the fields inside tests (they are set in beforeAll).
 */
export function useTestDb(): TestDb {
  const ctx = {} as TestDb;
  beforeAll(async () => {
    ctx.serverUrl = inject("pgServerUrl");
    const { name, url } = await createDatabaseFromTemplate(ctx.serverUrl);
    Object.assign(ctx, { name, url, db: createDb({ connectionString: url, max: 20 }) });
  });
  afterAll(async () => {
    await ctx.db?.destroy();
    if (ctx.name) await dropDatabase(ctx.serverUrl, ctx.name);
  });
  return ctx;
}
