import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { silentLogger } from "@paycron/core";
import { useTestDb } from "@paycron/db/testing";
import { clearTaskDeps, getTaskDeps, installTaskDeps, taskDepsFromEnvironment } from "@paycron/runtime";

const t = useTestDb();
afterEach(() => clearTaskDeps());

describe("task deps on a deployed worker", () => {
  it("are built from DATABASE_URL when nothing was installed", async () => {
    const deps = taskDepsFromEnvironment({ DATABASE_URL: t.url, LOG_LEVEL: "silent" });
    try {
      const { rows } = await sql<{ db: string }>`select current_database() as db`.execute(deps.db);
      expect(rows[0]!.db).toBe(t.name);
    } finally {
      await deps.db.destroy();
    }
  });

  it("name the variable to set when it is missing", () => {
    expect(() => taskDepsFromEnvironment({})).toThrow(/DATABASE_URL/);
  });

  it("prefer what the local engine or a test installed", () => {
    const installed = { db: t.db, clock: { now: () => new Date(0) }, logger: silentLogger() };
    installTaskDeps(installed);
    expect(getTaskDeps()).toBe(installed);
  });
});

