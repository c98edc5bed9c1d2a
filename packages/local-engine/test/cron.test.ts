import { describe, expect, it } from "vitest";
import { silentLogger, TestClock } from "@paycron/core";
import { useTestDb } from "@paycron/db/testing";
import { loadTaskCatalog } from "@paycron/runtime/catalog";
import { fireDueCrons } from "@paycron/local-engine";
import { runUntilIdle } from "@paycron/local-engine/testing";
import { FIXTURES_DIR, runsOf } from "../../../tests/support/task-fixtures.ts";

const t = useTestDb();

describe("crons from schedules.task", () => {
  it("fires at 09:00 Europe/Paris (07:00Z in summer, 08:00Z in winter), once per slot, and a missed tick once", async () => {
    // 08:59:30 in Paris (CEST, UTC+2). The first sight of a schedule starts it from now.
    const clock = new TestClock("2026-07-01T06:59:30Z");
    const drain = () => runUntilIdle({ db: t.db, connectionString: t.url, tasksDir: FIXTURES_DIR, clock, crons: true });
    await drain();
    expect(await runsOf(t.db, "paris-morning")).toEqual([]);

    clock.set("2026-07-01T07:00:00Z");
    await drain();
    await drain();
    let runs = await runsOf(t.db, "paris-morning");
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      status: "completed",
      idempotency_key: "cron:paris-morning:2026-07-01T07:00:00.000Z",
      output: { timestamp: "2026-07-01T07:00:00.000Z", timezone: "Europe/Paris", isDate: true, upcoming: 10 },
    });

    // Down for three days: one catch-up run for the latest slot, not three.
    clock.set("2026-07-04T09:30:00Z");
    await drain();
    runs = await runsOf(t.db, "paris-morning");
    expect(runs).toHaveLength(2);
    expect(runs[1]!.output).toMatchObject({ timestamp: "2026-07-04T07:00:00.000Z", lastTimestamp: "2026-07-01T07:00:00.000Z" });

    // Winter time (CET, UTC+1): 09:00 Paris is 08:00Z; 07:00Z is not a slot.
    clock.set("2026-12-01T07:59:59Z");
    await drain();
    const before = (await runsOf(t.db, "paris-morning")).length;
    clock.set("2026-12-01T08:00:00Z");
    await drain();
    runs = await runsOf(t.db, "paris-morning");
    expect(runs.length).toBe(before + 1);
    expect(runs.at(-1)!.output).toMatchObject({ timestamp: "2026-12-01T08:00:00.000Z" });
  });

  it("fires a slot once when several processes tick at the same time", async () => {
    const catalog = await loadTaskCatalog({ dir: FIXTURES_DIR });
    const clock = new TestClock("2027-01-10T08:00:00Z");
    const deps = { db: t.db, clock, logger: silentLogger(), catalog };
    const fired = await Promise.all(Array.from({ length: 6 }, () => fireDueCrons(deps)));
    expect(fired.reduce((a, b) => a + b, 0)).toBe(1);
    const rows = await t.db.selectFrom("task_outbox").select("id").where("idempotency_key", "=", "cron:paris-morning:2027-01-10T08:00:00.000Z").execute();
    expect(rows).toHaveLength(1);
  });
});
