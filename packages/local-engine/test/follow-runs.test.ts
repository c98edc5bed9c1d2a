import { afterEach, describe, expect, it } from "vitest";
import { silentLogger, systemClock } from "@paycron/core";
import { withTransaction } from "@paycron/db";
import { useTestDb, waitFor } from "@paycron/db/testing";
import { enqueueUnchecked } from "@paycron/runtime";
import { cancelRun, followRuns, startLocalRuntime, type LocalRuntime, type RunEvent } from "@paycron/local-engine";
import { runUntilIdle } from "@paycron/local-engine/testing";
import { FIXTURES_DIR } from "../../../tests/support/task-fixtures.ts";

const t = useTestDb();
const logger = silentLogger();
const open: LocalRuntime[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.stop()));
});

const drain = () => runUntilIdle({ db: t.db, connectionString: t.url, clock: systemClock, tasksDir: FIXTURES_DIR, logger });
const enqueue = (task: string, payload: unknown) => withTransaction(t.db, (tx) => enqueueUnchecked(tx, task, payload, { clock: systemClock }));
const runOf = (outboxId: string) => t.db.selectFrom("task_runs").selectAll().where("outbox_id", "=", outboxId).executeTakeFirstOrThrow();
const summary = (events: RunEvent[]) => events.map((e) => [e.kind, e.run.task_id, e.attempt, e.kind === "ended" ? e.run.status : ""]);

describe("followRuns", () => {
  it("reports a run that started and ended between two polls as a start and an end, once", async () => {
    const before = await enqueue("echo", { value: "before" });
    await drain();
    const follower = await followRuns(t.db);
    const during = await enqueue("echo", { value: "during" });
    await drain();
    const run = await runOf(during.id);

    const events = await follower.poll();
    expect(summary(events)).toEqual([
      ["started", "echo", 1, ""],
      ["ended", "echo", 1, "completed"],
    ]);
    expect(events.map((e) => [e.run.id, e.at])).toEqual([
      [run.id, run.started_at],
      [run.id, run.finished_at],
    ]);
    expect(events.some((e) => e.run.outbox_id === before.id)).toBe(false);
    expect(await follower.poll()).toEqual([]);
  });

  it("reports a start when it sees the run executing, and its end later, each once", async () => {
    const runtime = await startLocalRuntime({ clock: systemClock, connectionString: t.url, db: t.db, logger, tasksDir: FIXTURES_DIR, crons: false, pollIntervalMs: 50 });
    open.push(runtime);
    const follower = await followRuns(t.db);
    const slow = await enqueue("echo", { value: "slow", sleepMs: 2_000 });
    const seen: RunEvent[] = [];
    const started = await waitFor(async () => {
      seen.push(...(await follower.poll()));
      return seen.find((e) => e.kind === "started");
    }, "the run to start");
    expect(started.run.status).toBe("executing");
    await waitFor(async () => {
      seen.push(...(await follower.poll()));
      return seen.some((e) => e.kind === "ended");
    }, "the run to end");
    const run = await runOf(slow.id);
    expect(seen.map((e) => [e.kind, e.run.id, e.attempt])).toEqual([
      ["started", run.id, 1],
      ["ended", run.id, 1],
    ]);
    expect(seen[1]!.run).toMatchObject({ status: "completed", output: { echo: "slow" } });
  });

  it("reports a failed attempt that will be retried, then the run's cancel, and leaves out the tasks it is told to", async () => {
    const follower = await followRuns(t.db, { excludeTasks: ["gauge"] });
    const waiting = await enqueue("slow-retry", {});
    await enqueue("gauge", { sleepMs: 1 });
    await runUntilIdle({ db: t.db, connectionString: t.url, clock: systemClock, tasksDir: FIXTURES_DIR, logger, waitForRetries: false });
    const run = await runOf(waiting.id);
    const retrying = await follower.poll();
    expect(summary(retrying)).toEqual([
      ["started", "slow-retry", 1, ""],
      ["retrying", "slow-retry", 1, ""],
    ]);
    expect(retrying[1]!.run).toMatchObject({ id: run.id, status: "retrying", error: { message: "first attempt fails" } });

    await cancelRun({ db: t.db, clock: systemClock }, run.id);
    expect(summary(await follower.poll())).toEqual([["ended", "slow-retry", 1, "canceled"]]);
  });

  it("reports only the end of a run that was already going when following began", async () => {
    const runtime = await startLocalRuntime({ clock: systemClock, connectionString: t.url, db: t.db, logger, tasksDir: FIXTURES_DIR, crons: false, pollIntervalMs: 50 });
    open.push(runtime);
    const going = await enqueue("echo", { value: "going", sleepMs: 600 });
    await waitFor(async () => (await t.db.selectFrom("task_runs").select("status").where("outbox_id", "=", going.id).executeTakeFirst())?.status === "executing", "the run to start");
    const follower = await followRuns(t.db, { taskId: "echo" });
    const seen: RunEvent[] = [];
    await waitFor(async () => {
      seen.push(...(await follower.poll()));
      return seen.some((e) => e.kind === "ended");
    }, "the run to end");
    expect(summary(seen)).toEqual([["ended", "echo", 1, "completed"]]);
  });
});
