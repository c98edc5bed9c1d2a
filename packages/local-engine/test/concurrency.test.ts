import { describe, expect, it } from "vitest";
import { withTransaction } from "@paycron/db";
import { useTestDb } from "@paycron/db/testing";
import { createLogger, systemClock } from "@paycron/core";
import { Writable } from "node:stream";
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

  /** Drains 12 runs of `limited` (total 2) in one worker; returns how many times one was requeued for a full limit. */
  async function requeuesDraining(slotWaitMs?: number): Promise<number> {
    if ((globalThis as Record<string, unknown>).__limitedGauge) gauge().max = 0;
    const tag = `wait-${slotWaitMs ?? "default"}`;
    await withTransaction(t.db, async (tx) => {
      for (let i = 0; i < 12; i++) await enqueueUnchecked(tx, "limited", { sleepMs: 30 }, { idempotencyKey: `${tag}-${i}`, clock: systemClock });
    });
    const lines: string[] = [];
    const destination = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) });
    await runUntilIdle({ db: t.db, connectionString: t.url, clock: systemClock, tasksDir: FIXTURES_DIR, timeoutMs: 20_000, slotWaitMs, logger: createLogger({ name: "test", level: "debug", destination }) });
    expect(gauge().max).toBe(2);
    return lines.filter((line) => line.includes("concurrency limit full: run requeued")).length;
  }

  it("keeps a run that finds its limit full waiting in-process, started when this worker frees a slot: never requeued", async () => {
    expect(await requeuesDraining(10_000)).toBe(0);
    // Without the wait, the same drain requeues runs: the count above would catch its return.
    expect(await requeuesDraining(0)).toBeGreaterThan(0);
    const runs = await runsOf(t.db, "limited");
    expect(runs.every((r) => r.status === "completed")).toBe(true);
  });
});
