import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, TestClock, type LogFormat } from "@paycron/core";
import { withTransaction } from "@paycron/db";
import { useTestDb } from "@paycron/db/testing";
import { enqueueUnchecked } from "@paycron/runtime";
import { startLocalRuntime } from "@paycron/local-engine";
import { runUntilIdle } from "@paycron/local-engine/testing";
import { graphileLogger } from "../src/graphile-logger.ts";
import { FIXTURES_DIR, runsOf, waitFor } from "../../../tests/support/task-fixtures.ts";

const t = useTestDb();
const clock = new TestClock("2026-12-03T09:00:00Z");

function capture(format: LogFormat, level = "info") {
  let written = "";
  const destination = new Writable({
    write(chunk, _encoding, done) {
      written += String(chunk);
      done();
    },
  });
  const logger = createLogger({ name: "paycron-dev", level, format, destination });
  const lines = () => written.split("\n").slice(0, -1);
  return { logger, lines, entries: () => lines().map((l) => JSON.parse(l) as Record<string, unknown>) };
}

async function enqueue(task: string, payload: unknown, key: string) {
  await withTransaction(t.db, (tx) => enqueueUnchecked(tx, task, payload, { idempotencyKey: key, clock }));
}

describe("the local engine's log lines", () => {
  it("name the Paycron task and run of each outcome, one info/warn line per attempt, and none of graphile's job rows at info", async () => {
    const { logger, entries } = capture("json");
    await enqueue("echo", { value: "hi" }, "logs-echo");
    await enqueue("flaky", { failTimes: 1 }, "logs-flaky");
    await enqueue("domain-declined", {}, "logs-declined");
    await runUntilIdle({ db: t.db, connectionString: t.url, clock, logger, tasksDir: FIXTURES_DIR });

    const [echo] = await runsOf(t.db, "echo");
    const [flaky] = await runsOf(t.db, "flaky");
    const [declined] = await runsOf(t.db, "domain-declined");
    expect([echo?.status, flaky?.status, declined?.status]).toEqual(["completed", "completed", "failed"]);

    const lines = entries();
    const about = (runId: string) => lines.filter((l) => l.runId === runId).map(({ level, component, task, msg, attempt }) => ({ level, component, task, msg, attempt }));
    expect(about(echo!.id)).toEqual([{ level: 30, component: "local-runtime", task: "echo", msg: "run completed", attempt: 1 }]);
    expect(about(flaky!.id)).toEqual([
      { level: 40, component: "local-runtime", task: "flaky", msg: "run attempt failed; it will retry", attempt: 1 },
      { level: 30, component: "local-runtime", task: "flaky", msg: "run completed", attempt: 2 },
    ]);
    expect(lines.find((l) => l.runId === flaky!.id && l.level === 40)).toMatchObject({ err: { message: "planned failure 1" } });
    expect(about(declined!.id)).toEqual([{ level: 40, component: "local-runtime", task: "domain-declined", msg: "run failed", attempt: 1 }]);

    // graphile's "Completed task 1 (paycron_run, 37.85ms) with success" and its job row stay at debug.
    const loud = lines.filter((l) => (l.level as number) >= 30);
    expect(loud.filter((l) => JSON.stringify(l).includes("paycron_run"))).toEqual([]);
    expect(loud.filter((l) => l.component === "graphile-worker")).toEqual([]);
  });

  it("read as one short line per run in the pretty format", async () => {
    const { logger, lines } = capture("pretty");
    await enqueue("echo", { value: "pretty" }, "logs-pretty");
    await runUntilIdle({ db: t.db, connectionString: t.url, clock, logger, tasksDir: FIXTURES_DIR });
    const [run] = (await runsOf(t.db, "echo")).filter((r) => r.idempotency_key === "logs-pretty");
    expect(lines()).toEqual([expect.stringMatching(new RegExp(String.raw`^\d{2}:\d{2}:\d{2}\.\d{3} INFO  local-runtime task=echo run=${run!.id} run completed attempt=1 ms=\d+$`))]);
  });

  it("keep graphile's crontab notice and start-up chatter out of info (graphile has no crontab here by design)", async () => {
    const { logger, entries } = capture("json", "debug");
    const runtime = await startLocalRuntime({ clock, connectionString: t.url, db: t.db, logger, tasksDir: FIXTURES_DIR, crons: false });
    try {
      await enqueue("echo", { value: "runtime" }, "logs-runtime");
      await waitFor(async () => (await runsOf(t.db, "echo")).some((r) => r.idempotency_key === "logs-runtime" && r.status === "completed"), "the run to complete");
      await waitFor(async () => entries().some((l) => l.msg === "run completed"), "the run's line");
    } finally {
      await runtime.stop();
    }
    const lines = entries();
    const crontab = lines.filter((l) => String(l.msg).includes("crontab"));
    expect(crontab.length).toBeGreaterThan(0);
    expect(crontab.map((l) => l.level)).toEqual(crontab.map(() => 20));
    const graphileAtInfo = lines.filter((l) => l.component === "graphile-worker" && (l.level as number) >= 30);
    expect(graphileAtInfo).toEqual([]);
    // Every line names one component (a child of a child used to name two).
    for (const line of lines.filter((l) => l.component === "graphile-worker")) {
      expect(JSON.stringify(line).match(/"component"/g)).toHaveLength(1);
    }
  });
});

describe("graphileLogger", () => {
  it("keeps a failed job at error, saying which run it was, instead of the job row and stack in its message", () => {
    const { logger, entries } = capture("json", "debug");
    const graphile = graphileLogger(logger).scope({ label: "worker", workerId: "worker-1" });
    const job = {
      id: "7",
      task_identifier: "paycron_run",
      attempts: 1,
      max_attempts: 5,
      payload: { runId: "run-1", taskId: "echo", attempt: 2 },
      key: "run:run-1",
      locked_by: "pool-1",
    };
    const error = new Error("connection terminated");
    graphile.error(`Failed task 7 (paycron_run, 3.21ms, attempt 1 of 5) with error 'connection terminated':\n  ${error.stack}`, { failure: true, job, error, duration: 3.21 });
    graphile.warn("WARNING: having maxPoolSize (2) smaller than concurrency (4) may lead to non-optimal performance.");

    const [failed, warning] = entries();
    expect(failed).toMatchObject({
      level: 50,
      component: "graphile-worker",
      task: "echo",
      runId: "run-1",
      attempt: 2,
      jobId: "7",
      jobAttempt: "1/5",
      ms: 3,
      msg: "could not execute a run's job; graphile will retry the job",
      err: { message: "connection terminated" },
    });
    expect(failed).not.toHaveProperty("job");
    expect(warning).toMatchObject({ level: 40, component: "graphile-worker", msg: expect.stringContaining("maxPoolSize") });
  });
});
