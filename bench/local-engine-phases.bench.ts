/*
 * Where the local engine's time goes: its two phases measured apart, next to a graphile-worker
 * drain (tuned as the runtime tunes it) of the same number of no-op jobs in the same run
 * (durable Postgres).
 *
 *   pnpm bench local-engine-phases      (BENCH_RUNS, BENCH_TASKS)
 *
 * - dispatch: N outbox rows committed with no worker running, then dispatchDue() until nothing is
 *   left (each row becomes a task_runs row and a graphile job);
 * - execute: a local runtime (concurrency 10) started on those N dispatched runs, until all are
 *   `completed`;
 * - graphile: N jobs added, then a worker configured as the runtime configures graphile
 *   (concurrency 10, local queue 100, batched completion) until its queue is empty.
 *
 * Each phase also reports the CPU it used in this process and in the embedded Postgres (its
 * postmaster and backends, read from /proc), which tells whether a phase waits or works.
 */
import { readFileSync, readdirSync } from "node:fs";
import { silentLogger, systemClock } from "@paycron/core";
import { createDb, createPool, migrate, withTransaction } from "@paycron/db";
import { readPostmaster, startEmbeddedPostgres } from "@paycron/db/embedded";
import { dispatchDue, enqueueUnchecked } from "@paycron/runtime";
import { localEngine, startLocalRuntime } from "@paycron/local-engine";
import { GRAPHILE_TASK, startGraphile } from "./support/graphile.ts";
import { CONCURRENCY, LOCAL_QUEUE_SIZE, onTaskStarted, TASKS, TASKS_DIR } from "./support/local-engine.ts";
import { median, RUNS, sleep } from "./support/stats.ts";


interface Phase {
  ms: number;
  nodeCpuMs: number;
  postgresCpuMs: number;
}

const pg = await startEmbeddedPostgres();
const pool = createPool({ connectionString: pg.url, max: 10, applicationName: "paycron-bench" });
const db = createDb(pool);
const postmasterPid = readPostmaster(pg.dataDir).pid;
const count = async (text: string) => Number((await pool.query<{ n: string }>(text)).rows[0]!.n);

/** CPU time (user + system) of this server's postmaster and its children, in ms. */
function postgresCpuMs(): number {
  const tick = 10; // USER_HZ is 100 on Linux
  let total = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(pid) !== postmasterPid && Number(fields[1]) !== postmasterPid) continue;
      total += (Number(fields[11]) + Number(fields[12])) * tick;
    } catch {
      // the process ended while we read /proc
    }
  }
  return total;
}

async function measure(work: () => Promise<void>): Promise<Phase> {
  const [node0, pg0, t0] = [process.cpuUsage(), postgresCpuMs(), performance.now()];
  await work();
  const node = process.cpuUsage(node0);
  return { ms: performance.now() - t0, nodeCpuMs: (node.user + node.system) / 1_000, postgresCpuMs: postgresCpuMs() - pg0 };
}

async function graphileDrain(): Promise<Phase> {
  let done = 0;
  const worker = await startGraphile(pg.url, () => void (done += 1), { concurrency: CONCURRENCY, localQueueSize: LOCAL_QUEUE_SIZE });
  try {
    await worker.utils.addJobs(Array.from({ length: 200 }, (_, seq) => ({ identifier: GRAPHILE_TASK, payload: { seq } })));
    while ((await count("select count(*) as n from graphile_worker._private_jobs")) > 0) await sleep(5); // warm-up
    await worker.utils.addJobs(Array.from({ length: TASKS }, (_, seq) => ({ identifier: GRAPHILE_TASK, payload: { seq } })));
    return await measure(async () => {
      while (done < 200 + TASKS || (await count("select count(*) as n from graphile_worker._private_jobs")) > 0) await sleep(5);
    });
  } finally {
    await worker.stop();
  }
}

async function paycronPhases(): Promise<{ dispatch: Phase; execute: Phase }> {
  await pool.query("truncate task_outbox, task_runs cascade");
  await withTransaction(db, async (tx) => {
    for (let i = 0; i < TASKS; i++) await enqueueUnchecked(tx, "noop", {}, { clock: systemClock });
  });
  const deps = { db, clock: systemClock, logger: silentLogger(), engine: localEngine() };
  const dispatch = await measure(async () => {
    while ((await dispatchDue(deps, { limit: 500 })).dispatched > 0);
  });
  let runtime: Awaited<ReturnType<typeof startLocalRuntime>> | undefined;
  let started = 0;
  onTaskStarted(() => void (started += 1));
  try {
    const execute = await measure(async () => {
      runtime = await startLocalRuntime({ clock: systemClock, connectionString: pg.url, db, logger: silentLogger(), tasksDir: TASKS_DIR, concurrency: CONCURRENCY, localQueueSize: LOCAL_QUEUE_SIZE, crons: false });
      // As for graphile below: no polling query while the runs execute, only to see the last ones recorded.
      while (started < TASKS) await sleep(5);
      while ((await count("select count(*) as n from task_runs where status = 'completed'")) < TASKS) await sleep(5);
    });
    return { dispatch, execute };
  } finally {
    onTaskStarted(undefined);
    await runtime?.stop();
  }
}

const row = (name: string, phases: Phase[]) =>
  `| ${name} | ${Math.round(median(phases.map((p) => p.ms)))} ms | ${Math.round(median(phases.map((p) => p.nodeCpuMs)))} ms | ${Math.round(median(phases.map((p) => p.postgresCpuMs)))} ms |`;

try {
  await migrate(db);
  await (await startLocalRuntime({ clock: systemClock, connectionString: pg.url, db, logger: silentLogger(), tasksDir: TASKS_DIR, crons: false })).stop(); // graphile's schema
  const results = { graphile: [] as Phase[], dispatch: [] as Phase[], execute: [] as Phase[] };
  for (let run = 1; run <= RUNS; run++) {
    results.graphile.push(await graphileDrain());
    const { dispatch, execute } = await paycronPhases();
    results.dispatch.push(dispatch);
    results.execute.push(execute);
    console.log(`run ${run}: graphile drain ${Math.round(results.graphile.at(-1)!.ms)} ms | Paycron dispatch ${Math.round(dispatch.ms)} ms, execute ${Math.round(execute.ms)} ms`);
  }
  console.log(
    [
      "",
      `${TASKS.toLocaleString("en-US")} no-op runs, durable Postgres, medians of ${RUNS}:`,
      "",
      "| phase | time | Node CPU | Postgres CPU |",
      "|---|---|---|---|",
      row("tuned graphile: drain the jobs", results.graphile),
      row("Paycron: dispatch the outbox rows", results.dispatch),
      row("Paycron: execute the dispatched runs", results.execute),
    ].join("\n"),
  );
} finally {
  await db.destroy();
  await pg.stop();
}
