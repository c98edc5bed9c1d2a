import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { createDb, migrate, migrationStatus, migrationsAreCurrent } from "../src/index.ts";
import { createDatabaseFromTemplate, dropDatabase } from "../src/testing/index.ts";
import { inject } from "vitest";
import { migrations } from "../src/migrations/index.ts";

async function tables(db: ReturnType<typeof createDb>): Promise<string[]> {
  const { rows } = await sql<{ table_name: string }>`
    select table_name from information_schema.tables where table_schema = 'public' order by 1`.execute(db);
  return rows.map((r) => r.table_name);
}

describe("migrations", () => {
  it("go up, down to an empty schema, and up again", async () => {
    const server = inject("pgServerUrl");
    const { name, url } = await createDatabaseFromTemplate(server);
    const db = createDb({ connectionString: url, max: 2 });
    try {
      const migrated = await tables(db);
      expect(migrated).toEqual(expect.arrayContaining(["organizations", "billing_runs", "task_outbox", "webhook_events"]));
      expect(await migrationsAreCurrent(db)).toBe(true);

      for (let i = 0; i < Object.keys(migrations).length; i++) await migrate(db, "down");
      expect((await tables(db)).filter((t) => !t.startsWith("paycron_migrations"))).toEqual([]);
      expect(await migrationsAreCurrent(db)).toBe(false);

      const applied = await migrate(db, "latest");
      expect(applied.map((m) => m.status)).toEqual(Object.keys(migrations).map(() => "Success"));
      expect(await tables(db)).toEqual(migrated);
      expect((await migrationStatus(db)).every((m) => m.executedAt)).toBe(true);
      expect(await migrate(db, "latest")).toEqual([]);
    } finally {
      await db.destroy();
      await dropDatabase(server, name);
    }
  });

  it("lists every migration file in the index, in order", () => {
    const dir = fileURLToPath(new URL("../src/migrations/", import.meta.url));
    const files = readdirSync(dir)
      .filter((f) => f !== "index.ts" && f.endsWith(".ts"))
      .map((f) => f.replace(/\.ts$/, ""))
      .sort();
    expect(Object.keys(migrations)).toEqual(files);
  });
});
