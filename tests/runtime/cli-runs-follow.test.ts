import { afterEach, describe, expect, it } from "vitest";
import { silentLogger, systemClock } from "@paycron/core";
import { withTransaction } from "@paycron/db";
import { useTestDb, waitFor } from "@paycron/db/testing";
import { enqueueUnchecked } from "@paycron/runtime";
import { startLocalRuntime, type LocalRuntime } from "@paycron/local-engine";
import { startPaycron, type RunningCli } from "../support/paycron-cli.ts";
import { FIXTURES_DIR as FIXTURES } from "../support/task-fixtures.ts";

const t = useTestDb();
const running: Array<{ stop(): Promise<unknown> }> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
});

function follow(args: string[] = []): RunningCli {
  const cli = startPaycron(t.url, ["runs", "--follow", ...args]);
  running.push({ stop: async () => (cli.child.exitCode === null && cli.child.signalCode === null ? (cli.signal("SIGKILL"), cli.exited) : undefined) });
  return cli;
}

async function worker(): Promise<LocalRuntime> {
  const runtime = await startLocalRuntime({ clock: systemClock, connectionString: t.url, db: t.db, logger: silentLogger(), tasksDir: FIXTURES, crons: false });
  running.push(runtime);
  return runtime;
}

const ISO = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z`;

describe("pnpm paycron runs --follow", () => {
  it("prints a line as a run starts and one as it ends, and stops on Ctrl-C", async () => {
    const cli = follow();
    await waitFor(async () => /^following runs from \S+ \(Ctrl-C stops\)$/m.test(cli.stderr()), "the CLI to start following", 30_000);
    await worker();
    const enqueued = await withTransaction(t.db, (tx) => enqueueUnchecked(tx, "echo", { value: "followed", sleepMs: 300 }, { clock: systemClock }));
    const run = await waitFor(
      async () => t.db.selectFrom("task_runs").selectAll().where("outbox_id", "=", enqueued.id).where("status", "=", "completed").executeTakeFirst(),
      "the run to complete",
    );
    const lines = await waitFor(async () => {
      const out = cli.stdout().trimEnd().split("\n").filter(Boolean);
      return out.length >= 2 && out;
    }, "both lines");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^${ISO}  started    ${run.id}  echo  attempt 1/2$`));
    expect(lines[1]).toMatch(new RegExp(`^${ISO}  completed  ${run.id}  echo  attempt 1/2  \\d+ ms$`));
    expect(new Date(lines[1]!.split("  ")[0]!)).toEqual(run.finished_at);

    cli.signal("SIGINT");
    expect(await cli.exited).toBe(0);
    expect(cli.stderr()).toBe(cli.stderr().split("\n", 1)[0] + "\n"); // nothing but its first line
  }, 60_000);

  it("leaves out outbox-sweep unless --all, and shows a failure with its error", async () => {
    const [quiet, all] = [follow(), follow(["--all"])];
    await waitFor(async () => [quiet, all].every((c) => c.stderr().startsWith("following runs from")), "both CLIs to start following", 30_000);
    await worker();
    const sweepPayload = { type: "DECLARATIVE", timestamp: systemClock.now(), timezone: "UTC", scheduleId: "sched_local_outbox-sweep", upcoming: [] };
    await withTransaction(t.db, async (tx) => {
      // Not a fixture task: its run fails at once, which is all this test needs of it.
      await enqueueUnchecked(tx, "outbox-sweep", sweepPayload, { clock: systemClock });
      await enqueueUnchecked(tx, "abort", {}, { clock: systemClock });
    });
    const ended = (cli: RunningCli, task: string) => cli.stdout().split("\n").some((l) => / {2}failed {4}/.test(l) && l.includes(`  ${task}  `));
    await waitFor(async () => ended(all, "outbox-sweep") && ended(all, "abort") && ended(quiet, "abort"), "the runs' ends in both CLIs");
    expect(quiet.stdout()).not.toContain("outbox-sweep");
    expect(quiet.stdout()).toMatch(new RegExp(`^${ISO}  failed     \\S+  abort  attempt 1/5  AbortTaskRunError: a retry cannot fix this$`, "m"));
  }, 60_000);
});
