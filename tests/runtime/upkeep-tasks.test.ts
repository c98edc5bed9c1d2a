import { describe, expect, it } from "vitest";
import { silentLogger, TestClock } from "@paycron/core";
import { withTransaction } from "@paycron/db";
import { useTestDb } from "@paycron/db/testing";
import { localEngine } from "@paycron/local-engine";
import { runUntilIdle } from "@paycron/local-engine/testing";
import { createTaskDeps, enqueueUnchecked, installTaskDeps } from "@paycron/runtime";
import { loadTaskCatalog } from "@paycron/runtime/catalog";

const t = useTestDb();
const ctx = { run: { id: "run_test" }, attempt: { number: 1 } };

/** The production upkeep tasks, run through their real task definitions from trigger/. */
describe("upkeep tasks", () => {
  it("outbox-sweep dispatches what a crash left behind, once", async () => {
    const catalog = await loadTaskCatalog();
    const clock = new TestClock("2026-08-01T12:00:00Z");
    installTaskDeps(createTaskDeps({ db: t.db, clock, logger: silentLogger(), engine: localEngine() }, {}));
    // A worker ran once (installing graphile-worker's schema), then died.
    await runUntilIdle({ db: t.db, connectionString: t.url, clock });
    installTaskDeps(createTaskDeps({ db: t.db, clock, logger: silentLogger(), engine: localEngine() }, {}));
    await withTransaction(t.db, (tx) => enqueueUnchecked(tx, "outbox-sweep-probe", { n: 1 }, { idempotencyKey: "left-behind", clock }));

    const sweep = catalog.get("outbox-sweep");
    const signal = new AbortController().signal;
    expect(await sweep.run(await sweep.parsePayload({ timestamp: clock.now().toISOString(), upcoming: [] }), { ctx, signal })).toEqual({ dispatched: 1, failed: 0 });
    expect(await sweep.run({}, { ctx, signal })).toEqual({ dispatched: 0, failed: 0 });
    const row = await t.db.selectFrom("task_outbox").selectAll().where("idempotency_key", "=", "left-behind").executeTakeFirstOrThrow();
    expect(row.dispatched_at).not.toBeNull();
    const runs = await t.db.selectFrom("task_runs").select("id").where("outbox_id", "=", row.id).execute();
    expect(runs.map((r) => r.id)).toEqual([row.engine_run_id]);
  });

  it("daily-cron's retention deletes old finished runs and expired dispatched outbox rows, nothing live", async () => {
    const catalog = await loadTaskCatalog();
    const clock = new TestClock("2026-09-01T00:10:00Z");
    installTaskDeps(createTaskDeps({ db: t.db, clock, logger: silentLogger(), engine: localEngine() }, {}));
    const old = new Date("2026-07-01T00:00:00Z");
    const expired = await t.db
      .insertInto("task_outbox")
      .values({ task_id: "x", payload: "{}", idempotency_key: "expired", idempotency_expires_at: old, dispatched_at: old })
      .returning("id")
      .executeTakeFirstOrThrow();
    const live = await t.db
      .insertInto("task_outbox")
      .values({ task_id: "x", payload: "{}", idempotency_key: "live", idempotency_expires_at: new Date("2026-10-01T00:00:00Z"), dispatched_at: old })
      .returning("id")
      .executeTakeFirstOrThrow();
    const pending = await t.db
      .insertInto("task_outbox")
      .values({ task_id: "x", payload: "{}", idempotency_key: "pending", idempotency_expires_at: old })
      .returning("id")
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto("task_runs")
      .values([
        // Runs are stamped by the database's clock, and their retention reads it too (not the test clock).
        { task_id: "x", status: "completed", payload: "{}", finished_at: new Date(Date.now() - 40 * 86_400_000), idempotency_key: "old-run" },
        { task_id: "x", status: "completed", payload: "{}", finished_at: new Date(Date.now() - 10 * 86_400_000), idempotency_key: "recent-run" },
        { task_id: "x", status: "retrying", payload: "{}", idempotency_key: "unfinished-run" },
      ])
      .execute();

    const daily = catalog.get("daily-cron");
    const result = await daily.run({}, { ctx, signal: new AbortController().signal });
    expect(result).toMatchObject({ retention: { runtime: { runsDeleted: 1 } } });
    const outboxIds = (await t.db.selectFrom("task_outbox").select("id").execute()).map((r) => r.id);
    expect(outboxIds).not.toContain(expired.id);
    expect(outboxIds).toEqual(expect.arrayContaining([live.id, pending.id]));
    const keys = (await t.db.selectFrom("task_runs").select("idempotency_key").where("task_id", "=", "x").execute()).map((r) => r.idempotency_key);
    expect(keys.sort()).toEqual(["recent-run", "unfinished-run"]);
  });
});
