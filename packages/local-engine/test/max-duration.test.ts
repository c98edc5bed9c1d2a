import { afterEach, describe, expect, it } from "vitest";
import { silentLogger, systemClock } from "@paycron/core";
import { withTransaction } from "@paycron/db";
import { useTestDb, waitFor } from "@paycron/db/testing";
import { enqueueUnchecked } from "@paycron/runtime";
import { startLocalRuntime, type LocalRuntime } from "@paycron/local-engine";
import { FIXTURES_DIR } from "../../../tests/support/task-fixtures.ts";
import { closeGate, openGate, overrunBody } from "../../../tests/support/overrun-probe.ts";

const t = useTestDb();
const open: LocalRuntime[] = [];
const gates: string[] = [];
afterEach(async () => {
  gates.splice(0).forEach(openGate);
  await Promise.all(open.splice(0).map((r) => r.stop()));
});

async function start(options: { concurrency: number; leaseMs?: number }) {
  const runtime = await startLocalRuntime({ clock: systemClock, connectionString: t.url, db: t.db, logger: silentLogger(), tasksDir: FIXTURES_DIR, crons: false, ...options });
  open.push(runtime);
  return runtime;
}

const enqueue = (task: string, label: string) =>
  withTransaction(t.db, (tx) => enqueueUnchecked(tx, task, { label }, { idempotencyKey: label, clock: systemClock }));
const runOf = (label: string) => t.db.selectFrom("task_runs").selectAll().where("idempotency_key", "=", label).executeTakeFirst();
const started = (label: string) => waitFor(async () => overrunBody(label), `${label}'s code to start`);

/**
 * A body past its maxDuration that ignores its signal: the run is failed for good at once, and
 * the next run of `task` must not start its code until the runaway's code returned.
 */
async function runawayThenNext(task: string, runaway: string, next: string, holdMs = 500) {
  closeGate(runaway);
  gates.push(runaway);
  await enqueue(task, runaway);
  await started(runaway);
  const failed = await waitFor(async () => {
    const run = await runOf(runaway);
    return run?.status === "failed" && run;
  }, "the runaway run to fail");
  expect(failed).toMatchObject({ attempt: 1, max_attempts: 3, error: { name: "MaxDurationExceededError" } });
  expect(overrunBody(runaway)).toMatchObject({ abortReason: "MaxDurationExceededError" });
  expect(overrunBody(runaway)!.returnedAt).toBeUndefined();

  await enqueue(task, next);
  await waitFor(() => runOf(next), `${next} to be dispatched`);
  // A free slot would start its code within milliseconds; give it every chance to.
  await new Promise((r) => setTimeout(r, holdMs));
  expect(overrunBody(next), `${next} started while the runaway's code was still running`).toBeUndefined();

  openGate(runaway);
  await waitFor(async () => (await runOf(next))?.status === "completed", `${next} to complete`);
  const [first, second] = [overrunBody(runaway)!, overrunBody(next)!];
  expect(second.startedAt).toBeGreaterThanOrEqual(first.returnedAt!);
  expect(second.runningAtStart).toBe(1);
  expect(await runOf(runaway)).toMatchObject({ status: "failed", attempt: 1 });
}

describe("maxDuration", () => {
  it("aborts the signal and fails the run without retry; the body keeps its run slot until its code returns", async () => {
    await start({ concurrency: 1 });
    await runawayThenNext("overrun", "runaway-1", "next-1");
  });

  it("keeps the task's concurrency slot, lease renewed, until the runaway code returns, though the process has run slots free", async () => {
    await start({ concurrency: 10, leaseMs: 1_000 });
    // Held past a lease: a slot whose lease ran out would be free for the next run.
    await runawayThenNext("overrun-limited", "runaway-2", "next-2", 1_500);
    expect(await t.db.selectFrom("task_concurrency_slots").select("run_id").execute()).toEqual([]);
  });
});
