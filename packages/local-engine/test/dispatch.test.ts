import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { silentLogger, TestClock, systemClock } from "@paycron/core";
import { withTransaction } from "@paycron/db";
import { useTestDb } from "@paycron/db/testing";
import { dispatchDue, enqueueUnchecked, sweepOutbox, type LocalDispatchEngine } from "@paycron/runtime";
import { localEngine } from "@paycron/local-engine";
import { runUntilIdle } from "@paycron/local-engine/testing";
import { FIXTURES_DIR, runsOf } from "../../../tests/support/task-fixtures.ts";

const t = useTestDb();
const logger = silentLogger();

async function enqueueEchoes(prefix: string, n: number, clock = new TestClock("2026-05-01T00:00:00Z")) {
  await withTransaction(t.db, async (tx) => {
    for (let i = 0; i < n; i++) await enqueueUnchecked(tx, "echo", { value: `${prefix}${i}` }, { idempotencyKey: `${prefix}${i}`, clock });
  });
}

async function runsPerRow(prefix: string) {
  const { rows } = await sql<{ key: string; runs: number }>`
    select o.idempotency_key as key, count(r.id)::int as runs
    from task_outbox o left join task_runs r on r.outbox_id = o.id
    where o.idempotency_key like ${prefix + "%"} group by 1`.execute(t.db);
  return rows;
}

describe("outbox dispatch", () => {
  it("gives each row exactly one run when five dispatchers race", async () => {
    await runUntilIdle({ db: t.db, connectionString: t.url, clock: systemClock, tasksDir: FIXTURES_DIR }); // graphile schema
    await enqueueEchoes("race-", 60);
    const clock = new TestClock("2026-05-01T00:00:01Z");
    const results = await Promise.all(
      Array.from({ length: 5 }, () => dispatchDue({ db: t.db, clock, logger, engine: localEngine() }, { limit: 7 })),
    );
    let total = results.reduce((n, r) => n + r.dispatched, 0);
    // Retried dispatch: what is already dispatched is never handed over again.
    for (let r; (r = await dispatchDue({ db: t.db, clock, logger, engine: localEngine() })).dispatched > 0; ) total += r.dispatched;
    expect(total).toBe(60);
    expect((await dispatchDue({ db: t.db, clock, logger, engine: localEngine() })).dispatched).toBe(0);
    const rows = await runsPerRow("race-");
    expect(rows).toHaveLength(60);
    expect(rows.every((r) => r.runs === 1)).toBe(true);
  });

  it("sweeps rows a crash left undispatched, exactly once", async () => {
    // Committed, then the process died before any dispatcher saw the row.
    await enqueueEchoes("crash-", 3);
    const deps = { db: t.db, clock: new TestClock("2026-05-01T00:01:00Z"), logger, engine: localEngine() };
    expect(await sweepOutbox(deps)).toEqual({ dispatched: 3, failed: 0 });
    expect(await sweepOutbox(deps)).toEqual({ dispatched: 0, failed: 0 });
    await runUntilIdle({ db: t.db, connectionString: t.url, tasksDir: FIXTURES_DIR, clock: deps.clock });
    expect((await runsPerRow("crash-")).map((r) => r.runs)).toEqual([1, 1, 1]);
    const runs = (await runsOf(t.db, "echo")).filter((r) => r.idempotency_key?.startsWith("crash-"));
    expect(runs.map((r) => r.status)).toEqual(["completed", "completed", "completed"]);
  });

  it("records a failed dispatch and backs off before trying the row again", async () => {
    await enqueueEchoes("fail-", 1);
    const clock = new TestClock("2026-05-01T00:02:00Z");
    const broken: LocalDispatchEngine = {
      kind: "local",
      dispatch: async () => {
        throw new Error("engine down");
      },
    };
    expect(await dispatchDue({ db: t.db, clock, logger, engine: broken })).toEqual({ dispatched: 0, failed: 1 });
    const row = await t.db.selectFrom("task_outbox").selectAll().where("idempotency_key", "=", "fail-0").executeTakeFirstOrThrow();
    expect(row).toMatchObject({ attempts: 1, dispatched_at: null });
    expect(row.last_error).toContain("engine down");
    expect(row.lease_until!.getTime()).toBe(clock.now().getTime() + 1_000);

    expect((await dispatchDue({ db: t.db, clock, logger, engine: localEngine() })).dispatched).toBe(0);
    clock.advance(1_000);
    expect((await dispatchDue({ db: t.db, clock, logger, engine: localEngine() })).dispatched).toBe(1);
    const after = await t.db.selectFrom("task_outbox").selectAll().where("idempotency_key", "=", "fail-0").executeTakeFirstOrThrow();
    expect(after).toMatchObject({ last_error: null, lease_until: null });
    expect(after.dispatched_at).not.toBeNull();
  });

  it("dispatches a follow-up whose parent run retention has deleted, without the link, instead of failing it forever", async () => {
    await runUntilIdle({ db: t.db, connectionString: t.url, clock: systemClock, tasksDir: FIXTURES_DIR }); // graphile schema
    const parent = await t.db.insertInto("task_runs").values({ task_id: "echo", status: "completed", payload: "{}" }).returning("id").executeTakeFirstOrThrow();
    const clock = new TestClock("2026-05-01T00:00:00Z");
    const { id } = await withTransaction(t.db, (tx) => enqueueUnchecked(tx, "echo", { value: "orphan" }, { idempotencyKey: "orphan", clock }));
    await t.db.updateTable("task_outbox").set({ parent_run_id: parent.id }).where("id", "=", id).execute();
    await t.db.deleteFrom("task_runs").where("id", "=", parent.id).execute();

    expect(await dispatchDue({ db: t.db, clock, logger, engine: localEngine() }, { ids: [id] })).toMatchObject({ dispatched: 1 });
    const run = await t.db.selectFrom("task_runs").select(["parent_run_id"]).where("outbox_id", "=", id).executeTakeFirstOrThrow();
    expect(run.parent_run_id).toBeNull();
  });
});
