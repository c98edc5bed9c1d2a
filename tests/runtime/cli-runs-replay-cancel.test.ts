import { describe, expect, it } from "vitest";
import { silentLogger, systemClock, TestClock } from "@paycron/core";
import { useTestDb } from "@paycron/db/testing";
import { runUntilIdle } from "@paycron/local-engine/testing";
import { paycron as run } from "../support/paycron-cli.ts";
import { FIXTURES_DIR as FIXTURES } from "../support/task-fixtures.ts";

const t = useTestDb();
const paycron = (args: string[]) => run(t.url, args);
// The CLI enqueues by the wall clock, so the drain reads the same clock to find its rows due.
const drain = (clock = systemClock) => runUntilIdle({ db: t.db, connectionString: t.url, clock, logger: silentLogger(), tasksDir: FIXTURES });
const said = (stderr: string) => stderr.split("\n", 1)[0];
const runById = (id: string) => t.db.selectFrom("task_runs").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
/** nested-spawn-child's code enqueues an echo of its value: such a row proves its code ran. */
const codeRan = async (value: string) =>
  (await t.db.selectFrom("task_outbox").select("payload").where("task_id", "=", "echo").execute()).some((r) => (r.payload as { value?: string }).value === value);

describe("pnpm paycron runs replay", () => {
  it("makes a new run of the same task and payload under a new key, linked to the original, which the worker runs", async () => {
    const triggered = await paycron(["trigger", "echo", '{"value":"twice"}', "--key", "replay-cli", "--tasks-dir", FIXTURES]);
    const originalId = /^run (\S+) new echo\n$/.exec(triggered.stdout)![1]!;
    await drain();

    const replayed = await paycron(["runs", "replay", originalId]);
    expect(replayed.stderr).toBe("");
    const replayId = new RegExp(`^run (\\S+) new echo \\(replay of ${originalId}\\)\\n$`).exec(replayed.stdout)?.[1];
    expect(replayId, replayed.stdout).toBeDefined();
    const replay = await runById(replayId!);
    expect(replay).toMatchObject({ task_id: "echo", status: "queued", payload: { value: "twice" } });
    expect(replay.idempotency_key).not.toBe("replay-cli");
    expect(await t.db.selectFrom("task_outbox").select("replay_of").where("id", "=", replay.outbox_id!).executeTakeFirst()).toEqual({ replay_of: originalId });

    await drain();
    expect(await runById(replayId!)).toMatchObject({ status: "completed", output: { echo: "twice", runId: replayId } });
    expect(await runById(originalId)).toMatchObject({ status: "completed", output: { runId: originalId } });

    const [shownReplay, shownOriginal] = await Promise.all([paycron(["runs", "show", replayId!]), paycron(["runs", "show", originalId])]);
    expect(shownReplay.stdout).toMatch(new RegExp(`\\nreplay of +${originalId}  echo  completed\\n`));
    expect(shownOriginal.stdout).toMatch(new RegExp(`\\nreplayed by +${replayId}  echo  completed\\n`));
  }, 90_000);

  it("refuses a run that is not dispatched yet", async () => {
    const delayed = await paycron(["trigger", "echo", '{"value":"not-yet"}', "--delay", "1h", "--tasks-dir", FIXTURES]);
    const outboxId = /^delayed (\S+) /.exec(delayed.stdout)![1]!;
    const r = await paycron(["runs", "replay", outboxId]);
    expect(r.code).toBe(1);
    expect(said(r.stderr)).toBe(`paycron: run ${outboxId} has not been dispatched yet: there is nothing to replay`);
  }, 60_000);
});

describe("pnpm paycron runs cancel", () => {
  it("cancels a queued run and a delayed one, whose code then never runs", async () => {
    const queued = await paycron(["trigger", "nested-spawn-child", '{"value":"cancel-queued"}', "--tasks-dir", FIXTURES]);
    const queuedId = /^run (\S+) new nested-spawn-child\n$/.exec(queued.stdout)![1]!;
    const delayed = await paycron(["trigger", "nested-spawn-child", '{"value":"cancel-delayed"}', "--delay", "1h", "--key", "cancel-cli", "--tasks-dir", FIXTURES]);
    const delayedOutboxId = /^delayed (\S+) new nested-spawn-child: runs at /.exec(delayed.stdout)![1]!;

    const [a, b] = await Promise.all([paycron(["runs", "cancel", queuedId]), paycron(["runs", "cancel", delayedOutboxId])]);
    expect(a.stderr).toBe("");
    expect(a.stdout).toBe(`canceled run ${queuedId} nested-spawn-child (was queued)\n`);
    const delayedRun = await t.db.selectFrom("task_runs").selectAll().where("outbox_id", "=", delayedOutboxId).executeTakeFirstOrThrow();
    expect(b.stdout).toBe(`canceled run ${delayedRun.id} nested-spawn-child (was delayed)\n`);

    // Two hours on, the delayed row would be due.
    await drain(new TestClock(systemClock.now().getTime() + 2 * 3_600_000));
    expect(await runById(queuedId)).toMatchObject({ status: "canceled", started_at: null });
    expect(await runById(delayedRun.id)).toMatchObject({ status: "canceled", started_at: null });
    expect(await codeRan("cancel-queued")).toBe(false);
    expect(await codeRan("cancel-delayed")).toBe(false);

    // Canceled keeps its key (as on Trigger.dev): the same key gives the canceled run back.
    const again = await paycron(["trigger", "nested-spawn-child", '{"value":"cancel-delayed"}', "--key", "cancel-cli", "--tasks-dir", FIXTURES]);
    expect(again.stdout).toBe(`run ${delayedRun.id} existing nested-spawn-child (canceled; its idempotency key is still held)\n`);
  }, 90_000);

  it("refuses a run that already ended, saying why", async () => {
    const triggered = await paycron(["trigger", "echo", '{"value":"done"}', "--tasks-dir", FIXTURES]);
    const id = /^run (\S+) new echo\n$/.exec(triggered.stdout)![1]!;
    await drain();
    const r = await paycron(["runs", "cancel", id]);
    expect(r.code).toBe(1);
    expect(said(r.stderr)).toBe(`paycron: run ${id} (echo) was not canceled: it already ended (completed)`);
    expect(await runById(id)).toMatchObject({ status: "completed" });
  }, 60_000);
});
