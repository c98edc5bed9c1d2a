/*
 * Local engine against graphile-worker configured as the runtime configures it: the price of
 * Paycron's layer (outbox, dispatch, task_runs claims and completions, task catalog) on top of
 * the engine it runs on.
 *
 *   pnpm bench local-engine      (or: pnpm exec tsx bench/local-engine.bench.ts)
 *   BENCH_RUNS=3 BENCH_TASKS=5000 BENCH_LATENCY_SAMPLES=150 BENCH_STRICT=1 ...
 *
 * The two sides, one embedded Postgres (durable: fsync and synchronous_commit on), one process:
 * - graphile: graphile-worker 0.18 (the copy @paycron/local-engine uses) with the runtime's own
 *   settings (graphileSettings() of @paycron/local-engine, which startLocalRuntime uses too): 40 job
 *   slots (4 per run slot), a pool of 42, a local queue of 100, completeJobBatchDelay and
 *   failJobBatchDelay 0, a 1 s poll interval. Its job is a no-op.
 * - Paycron: startLocalRuntime at its defaults (10 run bodies at once, the graphile above
 *   underneath, its engine Db on its own pool of 10 as `pnpm dev` gives it) running the no-op
 *   fixture task (bench/fixtures/trigger/noop.ts; see BENCH_TASK_ID for why it has that id).
 * Both producers are sequential, on a pool of their own, with the same payload
 * ({ webhookEventId: a new uuid }): graphile's calls `addJobs` (one statement); Paycron's calls
 * `enqueueMany` in a transaction of its own (BEGIN, one insert, COMMIT), as callers do.
 *
 * "Done", both sides: the job or run's code has run and its completion is durably recorded, i.e.
 * the engine's statement recording it has returned (graphile: the delete of its job row; Paycron:
 * the update setting its task_runs row `completed`; both autocommit, so committed). The bench
 * watches those statements on the engines' own pools and counts the rows they change
 * (bench/support/completions.ts): the clock stops at the moment the count reaches N, with no
 * polling query and no trigger on either side. Afterwards one query checks each side's tables
 * agree (graphile: no job left; Paycron: every run `completed`).
 *
 * Per repetition, each side (order alternating between repetitions: graphile first in odd ones,
 * Paycron first in even ones), each measurement on a fresh state: both engines' job and run
 * tables truncated, `vacuum analyze`, `checkpoint`, then a new worker, warmed up with 200.
 * - drain: N committed by one producer call; the clock runs from its return to the last "done".
 *   Paycron's time includes dispatching its outbox rows.
 * - end-to-end: the clock runs from the producer's start, which enqueues N in calls of 100, to
 *   the last "done".
 * - enqueue→start: with the worker idle, one enqueue per call at 20/s; the time from the call
 *   returning to the no-op's code starting. 10 warm-up samples, then BENCH_LATENCY_SAMPLES.
 * Each drain also records the CPU used in this process and in Postgres (postmaster and backends,
 * from /proc): where the time goes.
 *
 * Headline: Paycron / graphile, drain and end-to-end: the median of the repetitions' own ratios
 * (each Paycron rate over the graphile rate measured next to it, so a burst of load from other
 * work on the machine skews one pair, not the headline; the ratio of the medians is printed too).
 * Floors (issue, item 11), on Paycron's medians: the drain no slower than before this bench
 * (BENCHMARKS.md, 2026-11-26: 4,878 and 4,960 tasks/s, so 4,900) and end-to-end ≥ 2,000 tasks/s.
 * BENCH_STRICT=1 exits 2 when one fails.
 */
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { availableParallelism, loadavg, release, totalmem } from "node:os";
import { silentLogger, systemClock } from "@paycron/core";
import { createDb, createPool, migrate, withTransaction } from "@paycron/db";
import { readPostmaster, startEmbeddedPostgres } from "@paycron/db/embedded";
import { startLocalRuntime } from "@paycron/local-engine";
import { enqueueMany } from "@paycron/runtime";
import { Completions } from "./support/completions.ts";
import { cpuMsOf, postgresPids } from "./support/machine.ts";
import { GRAPHILE_COMPLETES, GRAPHILE_TASK, graphileProducer, startGraphile } from "./support/graphile.ts";
import {
  BENCH_TASK_ID,
  CONCURRENCY,
  GRAPHILE,
  onTaskStarted,
  TASKS,
  TASKS_DIR,
} from "./support/local-engine.ts";
import { median, RUNS, sleep } from "./support/stats.ts";

const LATENCY_SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 150);
const LATENCY_INTERVAL_MS = 50;
const BATCH = 100;
const WARM_UP = 200;
const FLOOR = { drainTasksPerSecond: 4_900, endToEndTasksPerSecond: 2_000 };
/** Paycron records a completed run with `update task_runs … set status = 'completed'` (run-batches.ts). */
const PAYCRON_COMPLETES = /^\s*update task_runs\b[^;]*?\bset\s+status\s*=\s*'completed'/i;

type Side = "graphile" | "paycron";
type Mode = "drain" | "endToEnd";
interface Throughput {
  perSecond: number;
  ms: number;
  producerMs: number;
  nodeCpuMs: number;
  postgresCpuMs: number;
}
interface Latency {
  p50: number;
  p99: number;
}
interface Engine {
  completions: Completions;
  /** One producer call: n items in one statement (graphile) or one transaction (Paycron). */
  enqueue(n: number): Promise<void>;
  /** Throws unless the engine's tables say all `n` are done. */
  verify(n: number): Promise<void>;
  stop(): Promise<void>;
}

const pg = await startEmbeddedPostgres();
const admin = createPool({ connectionString: pg.url, max: 2, applicationName: "bench-admin" });
const producerPool = createPool({ connectionString: pg.url, max: 2, applicationName: "bench-producer" });
const producerDb = createDb(producerPool);
const postmasterPid = readPostmaster(pg.dataDir).pid;
const count = async (text: string) => Number((await admin.query<{ n: string }>(text)).rows[0]!.n);
const payload = () => ({ webhookEventId: randomUUID() });

// ---- the two sides ------------------------------------------------------------------------------

async function startSide(side: Side): Promise<Engine> {
  if (side === "graphile") {
    const completions = new Completions("graphile", GRAPHILE_COMPLETES);
    const worker = await startGraphile(pg.url, completions);
    const utils = await graphileProducer(producerPool);
    return {
      completions,
      enqueue: async (n) => void (await utils.addJobs(Array.from({ length: n }, () => ({ identifier: GRAPHILE_TASK, payload: payload() })))),
      verify: async () => {
        const left = await count("select count(*) as n from graphile_worker._private_jobs");
        if (left !== 0) throw new Error(`graphile: ${left} jobs left after all were seen completed`);
      },
      stop: async () => {
        await utils.release();
        await worker.stop();
      },
    };
  }
  const completions = new Completions("Paycron", PAYCRON_COMPLETES);
  const pool = createPool({ connectionString: pg.url, applicationName: "bench-paycron" });
  completions.observe(pool);
  const db = createDb(pool);
  const runtime = await startLocalRuntime({
    clock: systemClock,
    connectionString: pg.url,
    db,
    logger: silentLogger(),
    tasksDir: TASKS_DIR,
    concurrency: CONCURRENCY,
    crons: false,
  });
  return {
    completions,
    enqueue: (n) =>
      withTransaction(producerDb, async (tx) => {
        // One statement per 5,000: an insert takes at most 65,535 parameters (8 per row).
        for (let i = 0; i < n; i += 5_000) {
          const items = Array.from({ length: Math.min(5_000, n - i) }, () => ({ taskId: BENCH_TASK_ID, payload: payload() }));
          await enqueueMany(tx, systemClock, items);
        }
      }),
    verify: async (n) => {
      const done = await count("select count(*) filter (where status = 'completed') as n from task_runs");
      const all = await count("select count(*) as n from task_runs");
      if (done !== n || all !== n) throw new Error(`Paycron: ${done} of ${all} runs completed, ${n} expected`);
    },
    stop: async () => {
      await runtime.stop();
      await db.destroy();
    },
  };
}

/** Both engines' queues and run logs emptied, dead rows vacuumed, dirty pages written. */
async function freshState(): Promise<void> {
  await admin.query(
    "truncate task_outbox, task_runs, task_concurrency_slots, graphile_worker._private_jobs, graphile_worker._private_job_queues cascade",
  );
  await admin.query("vacuum analyze");
  await admin.query("checkpoint");
}

async function produce(engine: Engine, n: number, batch: number): Promise<void> {
  for (let i = 0; i < n; i += batch) await engine.enqueue(Math.min(batch, n - i));
}

async function throughput(side: Side, mode: Mode): Promise<Throughput> {
  await freshState();
  const engine = await startSide(side);
  try {
    await produce(engine, WARM_UP, BATCH); // JIT, connections, the local queue's first fetch
    await engine.completions.reach(WARM_UP);
    const pids = postgresPids(postmasterPid);
    let [t0, node0, pg0] = [performance.now(), process.cpuUsage(), cpuMsOf(pids)];
    if (mode === "drain") {
      await produce(engine, TASKS, TASKS);
      [t0, node0, pg0] = [performance.now(), process.cpuUsage(), cpuMsOf(pids)];
    } else {
      await produce(engine, TASKS, BATCH);
    }
    const producerMs = performance.now() - t0;
    const doneAt = await engine.completions.reach(WARM_UP + TASKS);
    const node = process.cpuUsage(node0);
    const postgresCpu = cpuMsOf(postgresPids(postmasterPid)) - pg0;
    await engine.verify(WARM_UP + TASKS);
    const ms = doneAt - t0;
    return { perSecond: Math.round((TASKS / ms) * 1_000), ms, producerMs, nodeCpuMs: (node.user + node.system) / 1_000, postgresCpuMs: postgresCpu };
  } finally {
    await engine.stop();
  }
}

async function latency(side: Side): Promise<Latency> {
  await freshState();
  const engine = await startSide(side);
  let fire: ((t: number) => void) | undefined;
  onTaskStarted(() => fire?.(performance.now()));
  try {
    const samples: number[] = [];
    for (let i = 0; i < LATENCY_SAMPLES + 10; i++) {
      // Armed before the enqueue: the code may start before the producer's call returns.
      const started = new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${side}: timed out waiting for a task to start`)), 10_000);
        fire = (t) => {
          clearTimeout(timer);
          fire = undefined;
          resolve(t);
        };
      });
      await engine.enqueue(1);
      const returned = performance.now();
      const at = await started;
      if (i >= 10) samples.push(at - returned);
      await sleep(LATENCY_INTERVAL_MS);
    }
    await engine.completions.reach(LATENCY_SAMPLES + 10);
    const sorted = samples.sort((a, b) => a - b);
    const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
    return { p50: q(0.5), p99: q(0.99) };
  } finally {
    onTaskStarted(undefined);
    await engine.stop();
  }
}

// ---- CPU of the embedded Postgres ---------------------------------------------------------------


// ---- report -------------------------------------------------------------------------------------

const fmt = (x: number) => Math.round(x).toLocaleString("en-US");
const pct = (x: number) => `${Math.round(x * 100)}%`;
const ms1 = (x: number) => `${x.toFixed(1)} ms`;

function machine(): string[] {
  let cpu: string[];
  try {
    cpu = execFileSync("lscpu", { encoding: "utf8" }).split("\n").slice(0, 10).map((l) => l.trim().replace(/\s{2,}/g, " "));
  } catch {
    cpu = ["lscpu: not available"];
  }
  let code: string;
  try {
    const git = (...args: string[]) => execFileSync("git", args, { encoding: "utf8" });
    const dirty = git("status", "--porcelain", "--", "packages").split("\n").filter(Boolean).map((l) => l.slice(3));
    code = `code: commit ${git("rev-parse", "--short", "HEAD").trim()}${dirty.length > 0 ? `, uncommitted in packages/: ${dirty.join(", ")}` : ""}`;
  } catch {
    code = "code: git not available";
  }
  return [code, `nproc ${availableParallelism()}, ${Math.round(totalmem() / 2 ** 30)} GiB, kernel ${release()}, Node ${process.version}`, ...cpu];
}

try {
  await migrate(createDb(admin));
  await (await startGraphile(pg.url, new Completions("graphile", GRAPHILE_COMPLETES))).stop(); // graphile's schema
  const settings = (await admin.query<{ v: string }>("select format('Postgres %s, fsync %s, synchronous_commit %s', current_setting('server_version'), current_setting('fsync'), current_setting('synchronous_commit')) as v")).rows[0]!.v;
  console.log(`${systemClock.now().toISOString()} | load average ${loadavg().map((l) => l.toFixed(2)).join(" ")} | ${settings}`);
  for (const line of machine()) console.log(`  ${line}`);
  console.log(
    `${fmt(TASKS)} no-op tasks per measurement, ${RUNS} repetitions; Paycron: ${CONCURRENCY} run bodies; graphile (both): ${GRAPHILE.jobs} job slots, pool ${GRAPHILE.poolMax}, local queue ${GRAPHILE.preset.worker.localQueue?.size ?? 0}, batched completion\n`,
  );

  const results = {
    drain: { graphile: [] as Throughput[], paycron: [] as Throughput[] },
    endToEnd: { graphile: [] as Throughput[], paycron: [] as Throughput[] },
    latency: { graphile: [] as Latency[], paycron: [] as Latency[] },
  };
  for (let run = 1; run <= RUNS; run++) {
    const order: Side[] = run % 2 === 1 ? ["graphile", "paycron"] : ["paycron", "graphile"];
    for (const mode of ["drain", "endToEnd"] as const) {
      for (const side of order) results[mode][side].push(await throughput(side, mode));
    }
    for (const side of order) results.latency[side].push(await latency(side));
    const line = (mode: Mode) => {
      const [g, p] = [results[mode].graphile.at(-1)!, results[mode].paycron.at(-1)!];
      return `${mode === "drain" ? "drain" : "end-to-end"} graphile ${fmt(g.perSecond)}/s (${fmt(g.ms)} ms), Paycron ${fmt(p.perSecond)}/s (${fmt(p.ms)} ms) = ${pct(p.perSecond / g.perSecond)}`;
    };
    const [lg, lp] = [results.latency.graphile.at(-1)!, results.latency.paycron.at(-1)!];
    console.log(
      `run ${run} (${order.join(" first, ")} second): ${line("drain")} | ${line("endToEnd")} | enqueue→start p50 graphile ${ms1(lg.p50)}, Paycron ${ms1(lp.p50)}`,
    );
  }

  const med = (xs: Throughput[], key: keyof Throughput = "perSecond") => median(xs.map((x) => x[key]));
  const summary = (mode: Mode) => {
    const { graphile: g, paycron: p } = results[mode];
    /** Each repetition's Paycron over the graphile measured next to it. */
    const pairedRatios = p.map((x, i) => Math.round((x.perSecond / g[i]!.perSecond) * 1_000) / 1_000);
    return {
      graphile: med(g),
      paycron: med(p),
      ratio: median(pairedRatios),
      ratioOfMedians: Math.round((med(p) / med(g)) * 1_000) / 1_000,
      pairedRatios,
      perRun: { graphile: g.map((x) => x.perSecond), paycron: p.map((x) => x.perSecond) },
      ms: { graphile: Math.round(med(g, "ms")), paycron: Math.round(med(p, "ms")) },
      producerMs: { graphile: Math.round(med(g, "producerMs")), paycron: Math.round(med(p, "producerMs")) },
      nodeCpuMs: { graphile: Math.round(med(g, "nodeCpuMs")), paycron: Math.round(med(p, "nodeCpuMs")) },
      postgresCpuMs: { graphile: Math.round(med(g, "postgresCpuMs")), paycron: Math.round(med(p, "postgresCpuMs")) },
    };
  };
  const drain = summary("drain");
  const endToEnd = summary("endToEnd");
  const lat = (side: Side) => ({
    p50: median(results.latency[side].map((l) => l.p50)),
    p99: median(results.latency[side].map((l) => l.p99)),
  });
  const floors = {
    drain: drain.paycron >= FLOOR.drainTasksPerSecond,
    endToEnd: endToEnd.paycron >= FLOOR.endToEndTasksPerSecond,
  };
  console.log(JSON.stringify({ drain, endToEnd, latency: { graphile: lat("graphile"), paycron: lat("paycron") }, loadAverageAtEnd: loadavg() }, null, 2));
  const cell = (s: ReturnType<typeof summary>) =>
    `${fmt(s.graphile)} | **${fmt(s.paycron)}** | **${pct(s.ratio)}** (per run ${s.pairedRatios.map(pct).join(", ")}; of the medians ${pct(s.ratioOfMedians)})`;
  console.log(
    [
      "",
      `Medians of ${RUNS} (${fmt(TASKS)} no-op tasks each):`,
      "",
      "| | graphile (runtime's config) | Paycron | Paycron / graphile |",
      "|---|---|---|---|",
      `| drain, tasks/s | ${cell(drain)} |`,
      `| end-to-end (producer included), tasks/s | ${cell(endToEnd)} |`,
      `| drain: Node / Postgres CPU | ${fmt(drain.nodeCpuMs.graphile)} / ${fmt(drain.postgresCpuMs.graphile)} ms | ${fmt(drain.nodeCpuMs.paycron)} / ${fmt(drain.postgresCpuMs.paycron)} ms | |`,
      `| end-to-end: of which the producer | ${fmt(endToEnd.producerMs.graphile)} ms | ${fmt(endToEnd.producerMs.paycron)} ms | |`,
      `| enqueue→start p50 / p99 | ${ms1(lat("graphile").p50)} / ${ms1(lat("graphile").p99)} | ${ms1(lat("paycron").p50)} / ${ms1(lat("paycron").p99)} | |`,
      "",
      `floor: drain ≥ ${fmt(FLOOR.drainTasksPerSecond)} tasks/s (no regression): ${floors.drain ? "PASS" : "FAIL"} (${fmt(drain.paycron)})`,
      `floor: end-to-end ≥ ${fmt(FLOOR.endToEndTasksPerSecond)} tasks/s: ${floors.endToEnd ? "PASS" : "FAIL"} (${fmt(endToEnd.paycron)})`,
    ].join("\n"),
  );
  if (!(floors.drain && floors.endToEnd) && process.env.BENCH_STRICT === "1") process.exitCode = 2;
} finally {
  await producerDb.destroy();
  await admin.end();
  await pg.stop();
}
