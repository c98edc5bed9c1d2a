import { randomBytes } from "node:crypto";
import pg from "pg";
import { databaseUrl } from "../embedded-postgres.ts";
import { createDb } from "../pool.ts";
import { migrate } from "../migrate.ts";

export const TEMPLATE_DATABASE = "paycron_template";

async function admin<T>(serverUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  client.on("error", () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates the template database once per test run and migrates it to the latest version. */
export async function prepareTemplate(serverUrl: string): Promise<void> {
  await admin(serverUrl, async (c) => {
    await c.query(`drop database if exists ${TEMPLATE_DATABASE} with (force)`);
    await c.query(`create database ${TEMPLATE_DATABASE}`);
  });
  const db = createDb({ connectionString: databaseUrl(serverUrl, TEMPLATE_DATABASE), max: 1 });
  try {
    await migrate(db);
  } finally {
    await db.destroy();
  }
  await admin(serverUrl, (c) => c.query(`alter database ${TEMPLATE_DATABASE} with is_template true`));
}

/**
 * A fresh database copied from the migrated template: each test file gets its own, so files
 * run in parallel without seeing each other's rows.
 */
export async function createDatabaseFromTemplate(serverUrl: string): Promise<{ name: string; url: string }> {
  const name = `paycron_t_${randomBytes(6).toString("hex")}`;
  await admin(serverUrl, async (c) => {
    // Two copies of one template at the same instant can trip "source database is being
    // accessed by other users"; a short retry covers it.
    for (let attempt = 1; ; attempt++) {
      try {
        await c.query(`create database ${name} template ${TEMPLATE_DATABASE}`);
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== "55006" || attempt >= 20) throw error;
        await new Promise((r) => setTimeout(r, 25 * attempt));
      }
    }
  });
  return { name, url: databaseUrl(serverUrl, name) };
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await admin(serverUrl, (c) => c.query(`drop database if exists ${name} with (force)`));
}
