import { describe, expect, it } from "vitest";
import { withTransaction } from "@paycron/db";
import { useTestDb } from "@paycron/db/testing";
import { systemClock } from "@paycron/core";
import { enqueueUnchecked } from "@paycron/runtime";
import { runUntilIdle } from "@paycron/local-engine/testing";
import { FIXTURES_DIR, runsOf } from "../../../tests/support/task-fixtures.ts";

const t = useTestDb();
const gauge = () => (globalThis as Record<string, unknown>).__limitedGauge as { current: number; max: number };

describe("concurrency limits", () => {
  it("never runs more than the task's total at once, across two workers of 10", async () => {
    await withTransaction(t.db, async (tx) => {
      for (let i = 0; i < 16; i++) await enqueueUnchecked(tx, "limited", { sleepMs: 40 }, { idempotencyKey: `limited-${i}`, clock: systemClock });
    });
    const drain = () => runUntilIdle({ db: t.db, connectionString: t.url, clock: systemClock, tasksDir: FIXTURES_DIR, timeoutMs: 20_000 });
    await Promise.all([drain(), drain()]);
    const runs = await runsOf(t.db, "limited");
    expect(runs).toHaveLength(16);
    expect(runs.every((r) => r.status === "completed" && r.attempt === 1)).toBe(true);
    expect(gauge().max).toBe(2);
    expect(await t.db.selectFrom("task_concurrency_slots").select("run_id").execute()).toEqual([]);
  });
});
