import { beforeEach, describe, expect, it } from "vitest";
import { silentLogger, systemClock } from "@paycron/core";
import { withTransaction } from "@paycron/db";
import { useTestDb } from "@paycron/db/testing";
import { enqueueUnchecked } from "@paycron/runtime";
import { loadTaskCatalog } from "@paycron/runtime/catalog";
import { runUntilIdle } from "@paycron/local-engine/testing";
import { paycron as run } from "../support/paycron-cli.ts";
import { FIXTURES_DIR as FIXTURES } from "../support/task-fixtures.ts";

const t = useTestDb();
const paycron = (args: string[]) => run(t.url, args);
/** What the CLI wrote to stderr itself: pnpm adds its own ELIFECYCLE line on a failure. */
const said = (stderr: string) => stderr.split("\n", 1)[0];

beforeEach(async () => {
  await t.db.deleteFrom("task_runs").execute();
  await t.db.deleteFrom("task_outbox").execute();
});

describe("pnpm paycron trigger / runs", () => {
  it("rejects a payload that does not match the task's schema, naming the field", async () => {
    const r = await paycron(["trigger", "echo", '{"value": 42}', "--tasks-dir", FIXTURES]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("the payload does not match the schema of echo");
    expect(r.stderr).toMatch(/value: .*expected string/i);
    expect(await t.db.selectFrom("task_outbox").select("id").execute()).toEqual([]);
  }, 60_000);

  it("rejects an unknown task and bad JSON with a clear message", async () => {
    const unknown = await paycron(["trigger", "no-such-task", "{}", "--tasks-dir", FIXTURES]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown task "no-such-task"\. Known tasks: .*echo/);
    const badJson = await paycron(["trigger", "echo", "{nope", "--tasks-dir", FIXTURES]);
    expect(badJson.stderr).toContain("the payload is not valid JSON");
  }, 60_000);

  it("refuses a --timeout that is not a positive number, a bad --delay and a missing --tasks-dir, before enqueueing anything", async () => {
    const [x, zero, negative, delay, missing] = await Promise.all([
      paycron(["trigger", "echo", '{"value":"t"}', "--tasks-dir", FIXTURES, "--timeout", "x"]),
      paycron(["trigger", "echo", '{"value":"t"}', "--tasks-dir", FIXTURES, "--timeout", "0"]),
      paycron(["trigger", "echo", '{"value":"t"}', "--tasks-dir", FIXTURES, "--timeout", "-5"]),
      paycron(["trigger", "echo", '{"value":"t"}', "--tasks-dir", FIXTURES, "--delay", "soon"]),
      paycron(["trigger", "echo", '{"value":"t"}', "--tasks-dir", "/nonexistent"]),
    ]);
    expect([x.code, zero.code, negative.code, delay.code, missing.code]).toEqual([1, 1, 1, 1, 1]);
    expect(said(x.stderr)).toBe('paycron: --timeout must be a positive number of seconds, got "x"');
    expect(said(zero.stderr)).toBe('paycron: --timeout must be a positive number of seconds, got "0"');
    expect(said(negative.stderr)).toBe('paycron: --timeout must be a positive number of seconds, got "-5"');
    expect(said(delay.stderr)).toBe('paycron: --delay: invalid duration "soon": use a number with ms, s, m, h, d or w');
    expect(said(missing.stderr)).toBe("paycron: --tasks-dir /nonexistent: no such directory");
    expect(await t.db.selectFrom("task_outbox").select("id").execute()).toEqual([]);
  }, 60_000);

  it("prints the run it made, then the same run as existing under the same key, and when a delayed one will run", async () => {
    const first = await paycron(["trigger", "echo", '{"value":"keyed"}', "--key", "cli-keyed", "--tasks-dir", FIXTURES]);
    expect(first.stderr).toBe("");
    const runs = await t.db.selectFrom("task_runs").select(["id", "status"]).where("idempotency_key", "=", "cli-keyed").execute();
    // Dispatched before the CLI returned: the run id it printed is a task_runs row already.
    expect(runs).toEqual([{ id: expect.any(String), status: "queued" }]);
    expect(first.stdout).toBe(`run ${runs[0]!.id} new echo\n`);

    const again = await paycron(["trigger", "echo", '{"value":"keyed"}', "--key", "cli-keyed", "--tasks-dir", FIXTURES]);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`run ${runs[0]!.id} existing echo (queued; its idempotency key is still held)\n`);

    const delayed = await paycron(["trigger", "echo", '{"value":"later"}', "--delay", "10m", "--tasks-dir", FIXTURES]);
    expect(delayed.code).toBe(0);
    const row = await t.db.selectFrom("task_outbox").select(["id", "available_at", "dispatched_at"]).where("task_id", "=", "echo").where("idempotency_key", "!=", "cli-keyed").executeTakeFirstOrThrow();
    expect(row.dispatched_at).toBeNull();
    expect(delayed.stdout).toMatch(new RegExp(`^delayed ${row.id} new echo: runs at ${row.available_at.toISOString().replaceAll(".", "\\.")} \\(in (9|10) min \\d\\d s\\); runs show/cancel take this id\\n$`));
  }, 90_000);

  it("runs a task with --wait, prints its result, and lists it with runs", async () => {
    const r = await paycron(["trigger", "echo", '{"value":"from-cli"}', "--key", "cli-1", "--wait", "--tasks-dir", FIXTURES]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { status: string; output: unknown; runId: string };
    expect(result).toMatchObject({ status: "completed", output: { echo: "from-cli", attempt: 1 } });

    const list = await paycron(["runs", "--task", "echo", "--status", "completed", "--json"]);
    expect(list.code).toBe(0);
    const runs = JSON.parse(list.stdout) as Array<{ id: string; idempotency_key: string }>;
    expect(runs.map((x) => x.id)).toEqual([result.runId]);
    expect(runs[0]!.idempotency_key).toBe("cli-1");

    const table = await paycron(["runs"]);
    expect(table.stdout).toContain(`${result.runId}  echo`);
    expect(table.stdout).toContain("completed");

    const badStatus = await paycron(["runs", "--status", "done"]);
    expect(badStatus.stderr).toContain('unknown status "done"');
  }, 90_000);

  it("names only tasks that can be triggered, with payloads their schema accepts, in trigger --help", async () => {
    const help = await paycron(["trigger", "--help"]);
    expect(help.code).toBe(0);
    const catalog = await loadTaskCatalog();
    const argument = /^\s+task-id\s+(.*)$/m.exec(help.stdout)![1]!;
    for (const id of catalog.tasks.keys()) expect(argument).not.toContain(id);

    const examples = [...help.stdout.matchAll(/^\s+pnpm paycron trigger (\S+) '([^']*)'/gm)];
    expect(examples.length).toBeGreaterThan(0);
    for (const [, id, payload] of examples) {
      expect(catalog.has(id!), `${id} is a task`).toBe(true);
      expect(catalog.get(id!).kind, `${id} can be triggered`).not.toBe("schedule");
      await catalog.get(id!).parsePayload(JSON.parse(payload!));
    }
  }, 60_000);

  it("prints its version", async () => {
    const [long, short] = await Promise.all([paycron(["--version"]), paycron(["-V"])]);
    expect([long.code, short.code]).toEqual([0, 0]);
    expect(long.stdout).toMatch(/^paycron \d+\.\d+\.\d+ \(node 22\.\d+\.\d+\)\n$/);
    expect(short.stdout).toBe(long.stdout);
  }, 60_000);
});

describe("pnpm paycron runs", () => {
  it("prints a header and aligned columns, hides outbox-sweep unless --all, and refuses an unknown --task with the tasks it knows", async () => {
    const logger = silentLogger();
    await withTransaction(t.db, async (tx) => {
      await enqueueUnchecked(tx, "echo", { value: "table" }, { clock: systemClock });
      await enqueueUnchecked(tx, "abort", {}, { clock: systemClock });
    });
    await runUntilIdle({ db: t.db, connectionString: t.url, clock: systemClock, logger, tasksDir: FIXTURES });
    const sweepPayload = { type: "DECLARATIVE", timestamp: systemClock.now(), timezone: "UTC", scheduleId: "sched_local_outbox-sweep", upcoming: [] };
    await withTransaction(t.db, (tx) => enqueueUnchecked(tx, "outbox-sweep", sweepPayload, { clock: systemClock }));
    await runUntilIdle({ db: t.db, connectionString: t.url, clock: systemClock, logger });
    const ids = Object.fromEntries((await t.db.selectFrom("task_runs").select(["id", "task_id"]).execute()).map((r) => [r.task_id, r.id]));

    const [table, all, sweepOnly, unknown] = await Promise.all([
      paycron(["runs"]),
      paycron(["runs", "--all"]),
      paycron(["runs", "--task", "outbox-sweep"]),
      paycron(["runs", "--task", "no-such-task"]),
    ]);
    const lines = table.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ID +TASK +STATUS +ATTEMPT +CREATED +DURATION +NOTE$/);
    expect(lines).toHaveLength(3);
    expect(lines.slice(1).map((l) => l.split(/ {2,}/).slice(0, 4)).sort()).toEqual(
      [
        [ids.abort, "abort", "failed", "1/5"],
        [ids.echo, "echo", "completed", "1/2"],
      ].sort(),
    );
    expect(lines.find((l) => l.startsWith(ids.abort!))).toMatch(/AbortTaskRunError: a retry cannot fix this$/);
    // Aligned: every column starts where its header does.
    for (const header of ["TASK", "STATUS", "ATTEMPT", "CREATED", "DURATION"]) {
      const at = lines[0]!.indexOf(header);
      for (const line of lines.slice(1)) {
        expect(line[at - 1]).toBe(" ");
        expect(line[at]).not.toBe(" ");
      }
    }
    expect(all.stdout.trimEnd().split("\n").slice(1).map((l) => l.split(/ +/)[1]).sort()).toEqual(["abort", "echo", "outbox-sweep"]);
    expect(sweepOnly.stdout.trimEnd().split("\n").slice(1).map((l) => l.split(/ +/)[0])).toEqual([ids["outbox-sweep"]]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^paycron: unknown task "no-such-task"\. Known tasks: .*outbox-sweep, .*stripe-payment-intent-succeeded/);
  }, 90_000);
});
