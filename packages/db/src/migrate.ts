import { Migrator, type MigrationResultSet } from "kysely/migration";
import type { Kysely } from "kysely";
import { migrations } from "./migrations/index.ts";

export type MigrationDirection = "up" | "down" | "latest";

function migrator(db: Kysely<any>): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: "paycron_migrations",
    migrationLockTableName: "paycron_migrations_lock",
  });
}

function unwrap(result: MigrationResultSet): NonNullable<MigrationResultSet["results"]> {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === "Error");
    const error = result.error instanceof Error ? result.error : new Error(String(result.error));
    if (failed) error.message = `migration ${failed.migrationName} failed: ${error.message}`;
    throw error;
  }
  return result.results ?? [];
}

/** `latest` applies everything pending; `up`/`down` move one step. Returns what it applied. */
export async function migrate(db: Kysely<any>, direction: MigrationDirection = "latest") {
  const m = migrator(db);
  const result =
    direction === "latest" ? await m.migrateToLatest() : direction === "up" ? await m.migrateUp() : await m.migrateDown();
  return unwrap(result).map((r) => ({ name: r.migrationName, direction: r.direction, status: r.status }));
}

/** Every known migration and whether it is applied. */
export async function migrationStatus(db: Kysely<any>) {
  const list = await migrator(db).getMigrations();
  return list.map((m) => ({ name: m.name, executedAt: m.executedAt ?? null }));
}

/** True when every migration this code knows is applied: what /readyz checks. */
export async function migrationsAreCurrent(db: Kysely<any>): Promise<boolean> {
  return (await migrationStatus(db)).every((m) => m.executedAt !== null);
}
