import { describe, expect, it } from "vitest";
import { TestClock, systemClock } from "@paycron/core";
import { withTransaction } from "@paycron/db";
import { useTestDb } from "@paycron/db/testing";
import { enqueueUnchecked } from "@paycron/runtime";
import { runUntilIdle } from "@paycron/local-engine/testing";
import { FIXTURES_DIR, runsOf } from "../../../tests/support/task-fixtures.ts";

const t = useTestDb();
const drain = (extra: Partial<Parameters<typeof runUntilIdle>[0]> = {}) =>
  runUntilIdle({ db: t.db, connectionString: t.url, clock: systemClock, tasksDir: FIXTURES_DIR, ...extra });

describe("local engine", () => {
  it("runs a committed enqueue exactly once and records it in task_runs", async () => {
    await withTransaction(t.db, (tx) => enqueueUnchecked(tx, "echo", { value: "hi" }, { idempotencyKey: "commit-1", clock: systemClock }));
    await drain();
    await drain();
    const runs = (await runsOf(t.db, "echo")).filter((r) => r.idempotency_key === "commit-1");
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: "completed", attempt: 1, output: { echo: "hi", attempt: 1, runId: runs[0]!.id } });
    expect(runs[0]!.started_at).toBeInstanceOf(Date);
    expect(runs[0]!.finished_at!.getTime()).toBeGreaterThanOrEqual(runs[0]!.started_at!.getTime());
    const outbox = await t.db.selectFrom("task_outbox").selectAll().where("idempotency_key", "=", "commit-1").executeTakeFirstOrThrow();
    expect(outbox.dispatched_at).not.toBeNull();
    expect(outbox.engine_run_id).toBe(runs[0]!.id);
  });

  it("enqueues nothing when the transaction rolls back", async () => {
    await expect(
      withTransaction(t.db, async (tx) => {
        await enqueueUnchecked(tx, "echo", { value: "never" }, { idempotencyKey: "rolled-back", clock: systemClock });
        throw new Error("domain failure");
      }),
    ).rejects.toThrow("domain failure");
    await drain();
    expect(await t.db.selectFrom("task_outbox").select("id").where("idempotency_key", "=", "rolled-back").execute()).toEqual([]);
    expect((await runsOf(t.db, "echo")).filter((r) => r.idempotency_key === "rolled-back")).toEqual([]);
  });

  it("makes 20 concurrent enqueues with one idempotency key into one run", async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        withTransaction(t.db, (tx) => enqueueUnchecked(tx, "echo", { value: `v${i}` }, { idempotencyKey: "same-key", clock: systemClock })).catch((e: unknown) => e),
      ),
    );
    await Promise.all([drain(), drain()]);
    const runs = (await runsOf(t.db, "echo")).filter((r) => r.idempotency_key === "same-key");
    expect(runs).toHaveLength(1);
    expect(runs[0]!.status).toBe("completed");
  });

  it("retries with the task's backoff and succeeds on a later attempt", async () => {
    await withTransaction(t.db, (tx) => enqueueUnchecked(tx, "flaky", { failTimes: 2 }, { idempotencyKey: "flaky-2", clock: systemClock }));
    const started = performance.now();
    await drain();
    const elapsed = performance.now() - started;
    const [run] = (await runsOf(t.db, "flaky")).filter((r) => r.idempotency_key === "flaky-2");
    expect(run).toMatchObject({ status: "completed", attempt: 3, max_attempts: 4, output: { succeededOn: 3 } });
    // Policy: 100 ms after attempt 1, 200 ms after attempt 2 (factor 2, no randomness).
    expect(elapsed).toBeGreaterThanOrEqual(300);
  });

  it("fails after maxAttempts, keeps the last error with its stack, and releases the idempotency key", async () => {
    await withTransaction(t.db, (tx) => enqueueUnchecked(tx, "flaky", { failTimes: 10 }, { idempotencyKey: "flaky-forever", clock: systemClock }));
    await drain();
    const [run] = (await runsOf(t.db, "flaky")).filter((r) => r.idempotency_key === "flaky-forever");
    expect(run).toMatchObject({ status: "failed", attempt: 4, error: { name: "Error", message: "planned failure 4" } });
    expect((run!.error as { stack: string }).stack).toContain("flaky.ts");
    // The key is free again: the same enqueue makes a new run.
    const again = await withTransaction(t.db, (tx) => enqueueUnchecked(tx, "flaky", { failTimes: 0 }, { idempotencyKey: "flaky-forever", clock: systemClock }));
    expect(again.created).toBe(true);
    await drain();
    const runs = (await runsOf(t.db, "flaky")).filter((r) => r.idempotency_key === "flaky-forever");
    expect(runs.map((r) => r.status)).toEqual(["failed", "completed"]);
  });

  it("keeps a successful run's idempotency key: a second enqueue is a no-op", async () => {
    await withTransaction(t.db, (tx) => enqueueUnchecked(tx, "echo", { value: "once" }, { idempotencyKey: "keep-key", clock: systemClock }));
    await drain();
    const again = await withTransaction(t.db, (tx) => enqueueUnchecked(tx, "echo", { value: "twice" }, { idempotencyKey: "keep-key", clock: systemClock }));
    expect(again.created).toBe(false);
    await drain();
    expect((await runsOf(t.db, "echo")).filter((r) => r.idempotency_key === "keep-key")).toHaveLength(1);
  });

  it("does not retry AbortTaskRunError", async () => {
    await withTransaction(t.db, (tx) => enqueueUnchecked(tx, "abort", {}, { idempotencyKey: "abort-1", clock: systemClock }));
    await drain();
    const [run] = (await runsOf(t.db, "abort")).filter((r) => r.idempotency_key === "abort-1");
    expect(run).toMatchObject({ status: "failed", attempt: 1, max_attempts: 5, error: { name: "AbortTaskRunError" } });
  });

  it("fails an invalid payload without retrying", async () => {
    await withTransaction(t.db, (tx) => enqueueUnchecked(tx, "flaky", { failTimes: "two" }, { idempotencyKey: "bad-payload", clock: systemClock }));
    await drain();
    const [run] = (await runsOf(t.db, "flaky")).filter((r) => r.idempotency_key === "bad-payload");
    expect(run).toMatchObject({ status: "failed", attempt: 1 });
    expect((run!.error as { message: string }).message).toMatch(/failTimes/);
  });

  it("does not start a delayed task early", async () => {
    const clock = new TestClock("2026-03-01T12:00:00Z");
    await withTransaction(t.db, (tx) => enqueueUnchecked(tx, "echo", { value: "later" }, { idempotencyKey: "delayed", delay: "10m", clock }));
    clock.advance(9 * 60_000 + 59_000);
    await drain({ clock });
    expect((await runsOf(t.db, "echo")).filter((r) => r.idempotency_key === "delayed")).toEqual([]);
    clock.advance(1_000);
    await drain({ clock });
    const runs = (await runsOf(t.db, "echo")).filter((r) => r.idempotency_key === "delayed");
    expect(runs.map((r) => r.status)).toEqual(["completed"]);
  });

  it("records the enqueuing run as the parent of the run it enqueued", async () => {
    await withTransaction(t.db, (tx) => enqueueUnchecked(tx, "nested-spawn-child", { value: "kid" }, { idempotencyKey: "parent-1", clock: systemClock }));
    await drain();
    const [parent] = (await runsOf(t.db, "nested-spawn-child")).filter((r) => r.idempotency_key === "parent-1");
    expect(parent!.status).toBe("completed");
    const child = (await runsOf(t.db, "echo")).find((r) => r.parent_run_id === parent!.id);
    expect(child).toMatchObject({ status: "completed", output: { echo: "kid" } });
  });
});
