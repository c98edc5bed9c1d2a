import { sql } from "kysely";
import { runOnce } from "graphile-worker";
import { type Clock, type Logger, silentLogger } from "@paycron/core";
import type { Db } from "@paycron/db";
import { dispatchDue, type ProviderFactories } from "@paycron/runtime";
import { fireDueCrons } from "../cron-scheduler.ts";
import { RUN_JOB } from "../graphile-jobs.ts";
import { ensureGraphileSchema } from "../graphile-schema.ts";
import { localEngine } from "../local-engine.ts";
import { prepareLocalWorker } from "../local-worker.ts";
import { recoverExpiredRuns } from "../recover-runs.ts";

export interface RunUntilIdleOptions {
  db: Db;
  /** The same database as `db`; graphile-worker needs its own connections. */
  connectionString: string;
  /** Required: delayed rows and crons come due by this clock, never by the wall's. */
  clock: Clock;
  providers?: Partial<ProviderFactories>;
  logger?: Logger;
  tasksDir?: string;
  /** Fire due crons first (by `clock`). */
  crons?: boolean;
  /** Also wait for retries scheduled within the timeout (default true). */
  waitForRetries?: boolean;
  timeoutMs?: number;
  leaseMs?: number;
  /** How long a run waits in-process for a slot of a full concurrency limit (the worker's default otherwise). */
  slotWaitMs?: number;
}

export interface IdleReport {
  dispatched: number;
  passes: number;
}

/**
 * Drives the local engine until nothing is due: fires due crons, dispatches due outbox rows,
 * executes every ready graphile job, and (by default) waits for retries that fall due within the
 * timeout. For tests that need "this stored event became exactly one finished run" without
 * starting a runtime. Delayed outbox rows come due by `clock`, so a test moves the clock instead
 * of sleeping.
 */
export async function runUntilIdle(options: RunUntilIdleOptions): Promise<IdleReport> {
  const { db, clock } = options;
  const logger = options.logger ?? silentLogger();
  const { catalog, graphile } = await prepareLocalWorker({
    db,
    connectionString: options.connectionString,
    clock,
    logger,
    providers: options.providers,
    tasksDir: options.tasksDir,
    leaseMs: options.leaseMs ?? 30_000,
    concurrency: 10,
    jobs: 10,
    // A run that found its concurrency limit full is retried within this drain, not a poll later.
    slotRetryMs: 20,
    slotWaitMs: options.slotWaitMs,
  });
  const report: IdleReport = { dispatched: 0, passes: 0 };
  const deadline = performance.now() + (options.timeoutMs ?? 15_000);
  try {
    // Dispatch adds graphile jobs, so graphile's schema must exist before the first runOnce.
    await ensureGraphileSchema({ connectionString: options.connectionString, logger: graphile.logger!, pgPool: graphile.pgPool });
    for (;;) {
      report.passes += 1;
      if (options.crons) await fireDueCrons({ db, clock, logger, catalog });
      await recoverExpiredRuns({ db, logger, catalog, leaseMs: options.leaseMs });
      for (let r; (r = await dispatchDue({ db, clock, logger, engine: localEngine() })).dispatched > 0; ) {
        report.dispatched += r.dispatched;
      }
      await runOnce(graphile);
      const next = await nextWork(db, clock);
      if (next === "now") continue;
      if (next === undefined || options.waitForRetries === false) return report;
      if (performance.now() + next > deadline) {
        throw new Error(`runUntilIdle: work is still scheduled ${Math.round(next)} ms ahead after ${options.timeoutMs ?? 15_000} ms`);
      }
      await new Promise((r) => setTimeout(r, Math.max(5, Math.min(next, 250))));
    }
  } finally {
    await graphile.pgPool.end();
  }
}

/** "now" when something is due, the ms until the next retry job, or undefined when idle. */
async function nextWork(db: Db, clock: Clock): Promise<"now" | number | undefined> {
  const due = await db
    .selectFrom("task_outbox")
    .select("id")
    .where("dispatched_at", "is", null)
    .where("available_at", "<=", clock.now())
    .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<=", clock.now())]))
    .limit(1)
    .executeTakeFirst();
  if (due) return "now";
  const { rows } = await sql<{ wait_ms: number | null; locked: number }>`
    select extract(epoch from (min(run_at) filter (where locked_at is null) - now())) * 1000 as wait_ms,
           count(*) filter (where locked_at is not null)::int as locked
    from graphile_worker._private_jobs j
    join graphile_worker._private_tasks t on t.id = j.task_id
    where t.identifier = ${RUN_JOB} and j.attempts < j.max_attempts`.execute(db);
  const row = rows[0];
  if (row?.wait_ms === null || row?.wait_ms === undefined) {
    const executing = await db.selectFrom("task_runs").select("id").where("status", "=", "executing").limit(1).executeTakeFirst();
    // A run held by another worker (or one that crashed, until its lease runs out) is not idle.
    return executing || (row?.locked ?? 0) > 0 ? 50 : undefined;
  }
  return row.wait_ms <= 0 ? "now" : Number(row.wait_ms);
}
