/*
 * Local engine: no-op task throughput and enqueue→start latency (p50, p99) at concurrency 10,
 * with a bare graphile-worker job measured in the same run, on the same embedded Postgres, as
 * the baseline (graphile-worker is what the local engine executes on; everything on top of it is
 * the outbox, the dispatcher, task_runs bookkeeping and the task catalog).
 *
 *   pnpm bench local-engine      (or: pnpm exec tsx bench/local-engine.bench.ts)
 *   BENCH_RUNS=5 BENCH_TASKS=5000 BENCH_LATENCY_SAMPLES=150 BENCH_FAST=0 BENCH_STRICT=1 ...
 *
 * One Postgres, two configurations: durable (fsync, synchronous_commit and full_page_writes on:
 * the default) first, then the same measurements after ALTER SYSTEM turns the three off
 * (BENCH_FAST=0 skips that part). Per configuration and repetition:
 *
 * - throughput, two ways, the worker started and warmed up first:
 *   - drain: N jobs/tasks committed in one transaction; the clock runs from that commit until the
 *     last one is recorded done (graphile: its job row deleted; Paycron: its task_runs row
 *     `completed`), so Paycron's side includes its outbox dispatch;
 *   - end-to-end: N enqueued in transactions of 100 with the producer timed too (graphile
 *     `addJobs`, one statement per 100; Paycron `enqueueUnchecked`, one statement per task, as
 *     callers do).
 *   Two baselines: bare graphile (as it ships: one fetch and one completion per job), which the
 *   floor names, and graphile tuned as the runtime tunes it (local queue, batched completion),
 *   the stricter comparison; the verdict on each is printed. "Concurrency 10" is 10 job handlers
 *   for graphile and 10 task bodies for Paycron (whose graphile holds 4x as many jobs so that
 *   claims and completions overlap the bodies). Latency is compared with tuned graphile.
 * - latency: with the worker idle, one job/task per transaction at a modest rate; latency is the
 *   moment the task's code starts (recorded inside it) minus the moment the enqueuing commit
 *   returned to the caller.
 *
 * The producer shares the process (and the 2 cores) with the worker, as does Postgres.
 */
import { cpus, loadavg, totalmem } from "node:os";
import type pg from "pg";
import { silentLogger, systemClock } from "@paycron/core";
import { createDb, createPool, migrate, withTransaction, type Db } from "@paycron/db";
import { startEmbeddedPostgres } from "@paycron/db/embedded";
import { enqueueUnchecked } from "@paycron/runtime";
import { startLocalRuntime } from "@paycron/local-engine";
import { GRAPHILE_TASK, startGraphile, type GraphileWorkerUtils } from "./support/graphile.ts";
import { CONCURRENCY, LOCAL_QUEUE_SIZE, onTaskStarted, TASKS, TASKS_DIR } from "./support/local-engine.ts";
import { median, RUNS, sleep } from "./support/stats.ts";

const LATENCY_SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 150);
const LATENCY_INTERVAL_MS = 50; // 20 enqueues/s: the worker is idle between them
const BATCH = 100;
const FLOOR = { tasksPerSecond: 2_000, p50Ms: 20, ofBaseline: 0.5 };
const TASK_ID = "noop";

type Config = "durable" | "fast";
interface Throughput {
  perSecond: number;
  ms: number;
  enqueueMs: number;
}
/** drain: N committed in one transaction, clock from the commit; endToEnd: producer timed too. */
type Mode = "drain" | "endToEnd";
type Both = Record<Mode, Throughput>;
interface Latency {
  p50: number;
  p99: number;
  max: number;
}

let onStarted: ((seq: number | undefined) => void) | undefined;
onTaskStarted((p) => onStarted?.(p.seq));


async function main(): Promise<void> {
  const pg = await startEmbeddedPostgres();
  // kysely is not a root dependency: raw statements go through the pool (query() below).
  pool = createPool({ connectionString: pg.url, max: 10, applicationName: "paycron-bench" });
  const db = createDb(pool);
  try {
    await migrate(db);
    const configs: Config[] = process.env.BENCH_FAST === "0" ? ["durable"] : ["durable", "fast"];
    const results: Record<string, unknown> = {};
    const rows: string[] = [];
    let verdict = true;
    let stricter = true;
    for (const config of configs) {
      if (config === "fast") {
        for (const s of ["fsync", "synchronous_commit", "full_page_writes"]) await query(`alter system set ${s} = off`);
        await query("select pg_reload_conf()");
        await sleep(200);
      }
      // Each configuration starts from a checkpointed, vacuumed database, not the previous one's debris.
      await query("checkpoint");
      await query("vacuum analyze");
      const settings = await showSettings();
      console.log(`\n--- ${config}: ${settings} ---`);

      // "Bare" is graphile-worker as it ships; "tuned" is graphile configured as the runtime
      // configures it (local queue, batched completion), the stricter comparison.
      const bare: Both[] = [];
      const tuned: Both[] = [];
      const paycron: Both[] = [];
      for (let run = 1; run <= RUNS; run++) {
        bare.push(await graphileThroughput(pg.url, false));
        tuned.push(await graphileThroughput(pg.url));
        paycron.push(await paycronThroughput(pg.url, db));
        const [b, t, p] = [bare.at(-1)!, tuned.at(-1)!, paycron.at(-1)!];
        console.log(
          `throughput run ${run}: drain graphile bare ${fmt(b.drain.perSecond)} / tuned ${fmt(t.drain.perSecond)} jobs/s, paycron ${fmt(p.drain.perSecond)} tasks/s (${ms(p.drain.ms)}) | ` +
            `end-to-end graphile bare ${fmt(b.endToEnd.perSecond)} / tuned ${fmt(t.endToEnd.perSecond)} jobs/s, paycron ${fmt(p.endToEnd.perSecond)} tasks/s (${ms(p.endToEnd.ms)}, of which enqueue ${ms(p.endToEnd.enqueueMs)})`,
        );
      }
      const tunedLat: Latency[] = [];
      const paycronLat: Latency[] = [];
      for (let run = 1; run <= RUNS; run++) {
        tunedLat.push(await graphileLatency(pg.url));
        paycronLat.push(await paycronLatency(pg.url, db));
        console.log(
          `latency run ${run}: graphile (tuned) p50 ${tunedLat.at(-1)!.p50.toFixed(1)} ms p99 ${tunedLat.at(-1)!.p99.toFixed(1)} ms | ` +
            `paycron p50 ${paycronLat.at(-1)!.p50.toFixed(1)} ms p99 ${paycronLat.at(-1)!.p99.toFixed(1)} ms (max ${paycronLat.at(-1)!.max.toFixed(1)})`,
        );
      }

      const drain = (xs: Both[]) => median(xs.map((x) => x.drain.perSecond));
      const endToEnd = (xs: Both[]) => median(xs.map((x) => x.endToEnd.perSecond));
      const summary = {
        postgres: settings,
        graphileBare: { jobsPerSecond: drain(bare), perRun: bare.map((b) => b.drain.perSecond), endToEndJobsPerSecond: endToEnd(bare) },
        graphileTuned: {
          jobsPerSecond: drain(tuned),
          perRun: tuned.map((t) => t.drain.perSecond),
          endToEndJobsPerSecond: endToEnd(tuned),
          p50Ms: round1(median(tunedLat.map((l) => l.p50))),
          p99Ms: round1(median(tunedLat.map((l) => l.p99))),
        },
        paycron: {
          tasksPerSecond: drain(paycron),
          perRun: paycron.map((p) => p.drain.perSecond),
          endToEndTasksPerSecond: endToEnd(paycron),
          endToEndPerRun: paycron.map((p) => p.endToEnd.perSecond),
          endToEndEnqueueMs: Math.round(median(paycron.map((p) => p.endToEnd.enqueueMs))),
          p50Ms: round1(median(paycronLat.map((l) => l.p50))),
          p99Ms: round1(median(paycronLat.map((l) => l.p99))),
        },
      };
      const ofBare = summary.paycron.tasksPerSecond / summary.graphileBare.jobsPerSecond;
      const ofTuned = summary.paycron.tasksPerSecond / summary.graphileTuned.jobsPerSecond;
      const floor = {
        tasksPerSecond: summary.paycron.tasksPerSecond >= FLOOR.tasksPerSecond,
        p50: summary.paycron.p50Ms < FLOOR.p50Ms,
        halfOfBare: ofBare >= FLOOR.ofBaseline,
      };
      const met = floor.tasksPerSecond && floor.p50 && floor.halfOfBare;
      if (config === "durable") {
        // The floor is about the default configuration.
        verdict = met;
        stricter = ofTuned >= FLOOR.ofBaseline;
      }
      const pct = (x: number) => `${Math.round(x * 100)}%`;
      results[config] = { ...summary, ofBare: round2(ofBare), ofTuned: round2(ofTuned), floor, floorMet: met, halfOfTuned: ofTuned >= FLOOR.ofBaseline };
      rows.push(
        `| ${config === "durable" ? "durable (fsync on; default)" : "fsync / synchronous_commit / full_page_writes off"} | ` +
          `${fmt(summary.graphileBare.jobsPerSecond)} / ${fmt(summary.graphileTuned.jobsPerSecond)} | **${fmt(summary.paycron.tasksPerSecond)}** (${pct(ofBare)} / ${pct(ofTuned)}) | ` +
          `${fmt(summary.graphileBare.endToEndJobsPerSecond)} / ${fmt(summary.graphileTuned.endToEndJobsPerSecond)} | ${fmt(summary.paycron.endToEndTasksPerSecond)} | ` +
          `${summary.graphileTuned.p50Ms} / ${summary.graphileTuned.p99Ms} ms | **${summary.paycron.p50Ms}** / ${summary.paycron.p99Ms} ms | ${met ? "met" : "not met"} |`,
      );
    }

    const report = {
      date: systemClock.now().toISOString(),
      machine: `${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`,
      loadAverageAtEnd: loadavg().map((l) => Math.round(l * 100) / 100),
      tasks: TASKS,
      runs: RUNS,
      latencySamples: LATENCY_SAMPLES,
      concurrency: CONCURRENCY,
      localQueueSize: LOCAL_QUEUE_SIZE,
      ...results,
    };
    console.log(JSON.stringify(report, null, 2));
    console.log(
      [
        "",
        "| Postgres | drain: graphile bare / tuned jobs/s | drain: Paycron tasks/s (of bare / of tuned) | end-to-end: graphile bare / tuned jobs/s | end-to-end: Paycron tasks/s | enqueue→start p50 / p99: graphile tuned | Paycron | floor |",
        "|---|---|---|---|---|---|---|---|",
        ...rows,
      ].join("\n"),
    );
    console.log(
      `\nfloor (durable: ≥ ${fmt(FLOOR.tasksPerSecond)} tasks/s, p50 < ${FLOOR.p50Ms} ms, ≥ ${FLOOR.ofBaseline * 100}% of bare graphile-worker): ${verdict ? "met" : "NOT MET"}` +
        `\nstricter, ≥ ${FLOOR.ofBaseline * 100}% of graphile tuned as the runtime tunes it: ${stricter ? "met" : "not met"}`,
    );
    if (!verdict && process.env.BENCH_STRICT === "1") process.exitCode = 2;
  } finally {
    await db.destroy();
    await pg.stop();
  }
}

// ---- bare graphile-worker -------------------------------------------------------------------

async function graphileThroughput(url: string, tuned = true): Promise<Both> {
  let done = 0;
  let target = 0;
  let reached: (() => void) | undefined;
  const worker = await startGraphile(url, () => {
    if (++done === target) reached?.();
  }, { concurrency: CONCURRENCY, localQueueSize: LOCAL_QUEUE_SIZE, tuned });
  try {
    // Warm-up: JIT, connections, the local queue's first fetch.
    const expect = (n: number, r: () => void) => ((target = done + n), (reached = r));
    await drainGraphile(worker.utils, 200, "endToEnd", expect);
    const drain = await drainGraphile(worker.utils, TASKS, "drain", expect);
    return { drain, endToEnd: await drainGraphile(worker.utils, TASKS, "endToEnd", expect) };
  } finally {
    await worker.stop();
  }
}

async function drainGraphile(
  utils: GraphileWorkerUtils,
  n: number,
  mode: Mode,
  expect: (n: number, reached: () => void) => void,
): Promise<Throughput> {
  const allRan = new Promise<void>((r) => expect(n, r));
  const specs = (from: number, to: number) => Array.from({ length: to - from }, (_, j) => ({ identifier: GRAPHILE_TASK, payload: { seq: from + j } }));
  let t0 = performance.now();
  if (mode === "drain") {
    await utils.addJobs(specs(0, n));
    t0 = performance.now();
  } else {
    for (let i = 0; i < n; i += BATCH) await utils.addJobs(specs(i, Math.min(n, i + BATCH)));
  }
  const enqueueMs = performance.now() - t0;
  await allRan;
  // Done means the job row is gone (completion is batched): poll until the table is empty.
  while ((await count("select count(*) as n from graphile_worker._private_jobs")) > 0) {
    await sleep(5);
  }
  const elapsed = performance.now() - t0;
  return { perSecond: Math.round((n / elapsed) * 1_000), ms: elapsed, enqueueMs };
}

async function graphileLatency(url: string): Promise<Latency> {
  const next = startSignal();
  const worker = await startGraphile(url, () => next.fire(), { concurrency: CONCURRENCY, localQueueSize: LOCAL_QUEUE_SIZE });
  try {
    return await sampleLatency(next, (i) => worker.utils.addJob(GRAPHILE_TASK, { seq: i }));
  } finally {
    await worker.stop();
  }
}

// ---- Paycron local engine -------------------------------------------------------------------

async function startPaycron(url: string, db: Db) {
  // Each repetition starts from empty run tables, as the bare graphile side starts from an empty queue.
  await query("truncate task_outbox, task_runs cascade");
  return startLocalRuntime({
    clock: systemClock,
    connectionString: url,
    db,
    logger: silentLogger(),
    tasksDir: TASKS_DIR,
    concurrency: CONCURRENCY,
    localQueueSize: LOCAL_QUEUE_SIZE,
    crons: false,
  });
}

async function paycronThroughput(url: string, db: Db): Promise<Both> {
  const runtime = await startPaycron(url, db);
  try {
    await drainPaycron(db, 200, "endToEnd", 0);
    const drain = await drainPaycron(db, TASKS, "drain", 200);
    return { drain, endToEnd: await drainPaycron(db, TASKS, "endToEnd", 200 + TASKS) };
  } finally {
    await runtime.stop();
  }
}

async function drainPaycron(db: Db, n: number, mode: Mode, already: number): Promise<Throughput> {
  let ran = 0;
  const allRan = new Promise<void>((r) => (onStarted = () => void (++ran === n && r())));
  const batch = mode === "drain" ? n : BATCH;
  let t0 = performance.now();
  for (let i = 0; i < n; i += batch) {
    await withTransaction(db, async (tx) => {
      for (let j = i; j < Math.min(n, i + batch); j++) await enqueueUnchecked(tx, TASK_ID, {}, { clock: systemClock });
    });
  }
  if (mode === "drain") t0 = performance.now();
  const enqueueMs = performance.now() - t0;
  await allRan;
  onStarted = undefined;
  // Done means recorded as completed (completion is batched).
  while ((await count("select count(*) as n from task_runs where status = 'completed'")) < already + n) await sleep(5);
  const elapsed = performance.now() - t0;
  const unfinished = await count("select count(*) as n from task_runs where status <> 'completed'");
  if (unfinished !== 0) throw new Error(`${unfinished} runs did not complete`);
  return { perSecond: Math.round((n / elapsed) * 1_000), ms: elapsed, enqueueMs };
}

async function paycronLatency(url: string, db: Db): Promise<Latency> {
  const runtime = await startPaycron(url, db);
  const next = startSignal();
  onStarted = () => next.fire();
  try {
    return await sampleLatency(next, (i) => withTransaction(db, (tx) => enqueueUnchecked(tx, TASK_ID, { seq: i }, { clock: systemClock })));
  } finally {
    onStarted = undefined;
    await runtime.stop();
  }
}

// ---- helpers --------------------------------------------------------------------------------

let pool: pg.Pool;
async function query<R extends object = Record<string, unknown>>(text: string): Promise<R[]> {
  return (await pool.query(text)).rows as R[];
}
async function count(text: string): Promise<number> {
  return Number((await query<{ n: string }>(text))[0]!.n);
}

async function showSettings(): Promise<string> {
  const rows = await query<{ name: string; setting: string }>(
    "select name, setting from pg_settings where name in ('fsync', 'synchronous_commit', 'full_page_writes', 'server_version')",
  );
  const s = Object.fromEntries(rows.map((r) => [r.name, r.setting]));
  return `embedded Postgres ${s.server_version}, fsync ${s.fsync}, synchronous_commit ${s.synchronous_commit}, full_page_writes ${s.full_page_writes}`;
}

/** Resolves with the moment the next task starts (the task's code calls fire()). */
function startSignal() {
  let resolve: ((t: number) => void) | undefined;
  return {
    fire: () => resolve?.(performance.now()),
    next: (timeoutMs = 10_000) =>
      new Promise<number>((res, reject) => {
        const timer = setTimeout(() => reject(new Error("timed out waiting for a task to start")), timeoutMs);
        resolve = (t) => {
          clearTimeout(timer);
          resolve = undefined;
          res(t);
        };
      }),
  };
}

/** One enqueue at a time, the worker idle in between; the first 10 samples warm up. */
async function sampleLatency(signal: ReturnType<typeof startSignal>, enqueueOne: (i: number) => Promise<unknown>): Promise<Latency> {
  const samples: number[] = [];
  for (let i = 0; i < LATENCY_SAMPLES + 10; i++) {
    const start = signal.next(); // armed before the enqueue: the task may start before the commit returns here
    await enqueueOne(i);
    const committed = performance.now();
    const startedAt = await start;
    if (i >= 10) samples.push(startedAt - committed);
    await sleep(LATENCY_INTERVAL_MS);
  }
  return percentiles(samples);
}

function percentiles(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { p50: at(0.5), p99: at(0.99), max: sorted.at(-1)! };
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const round2 = (x: number) => Math.round(x * 100) / 100;
const fmt = (x: number) => x.toLocaleString("en-US");
const ms = (x: number) => `${Math.round(x)} ms`;

await main();
