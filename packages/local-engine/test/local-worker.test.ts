import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { silentLogger, systemClock } from "@paycron/core";
import { useTestDb } from "@paycron/db/testing";
import { startLocalRuntime } from "@paycron/local-engine";
import { runUntilIdle } from "@paycron/local-engine/testing";

const t = useTestDb();
const INVALID_DIR = fileURLToPath(new URL("../../../tests/fixtures/invalid-catalog/trigger/", import.meta.url));

describe("the worker setup startLocalRuntime and runUntilIdle share", () => {
  it("refuses an invalid task directory in both, naming the problem", async () => {
    const problem = /two-tasks\.ts: defines 2 tasks \(invalid-first, invalid-second\)/;
    await expect(
      startLocalRuntime({ clock: systemClock, connectionString: t.url, db: t.db, logger: silentLogger(), tasksDir: INVALID_DIR, crons: false }),
    ).rejects.toThrow(problem);
    await expect(runUntilIdle({ db: t.db, connectionString: t.url, clock: systemClock, tasksDir: INVALID_DIR })).rejects.toThrow(problem);
  });
});
