import { run, type Runner } from "graphile-worker";
import type { Clock, Logger } from "@paycron/core";
import type { Db } from "@paycron/db";
import type { TaskCatalog } from "@paycron/runtime/catalog";
import { startDispatcher, type ProviderFactories } from "@paycron/runtime";
import { fireDueCrons, nextCronSlot } from "./cron-scheduler.ts";
import { DEFAULT_RUN_CONCURRENCY, graphileSettings } from "./graphile-settings.ts";
import { localEngine } from "./local-engine.ts";
import { prepareLocalWorker } from "./local-worker.ts";
import { recoverExpiredRuns } from "./recover-runs.ts";


export interface LocalRuntimeOptions {
  connectionString: string;
  db: Db;
  logger: Logger;
  /** The runtime's only source of time (crons, delays): the system clock in dev, a test clock in tests. */
  clock: Clock;
  /** The local implementations of the task providers (emulators, local stand-ins). */
  providers?: Partial<ProviderFactories>;
  /** Task files to run; the production trigger/ by default. */
  tasksDir?: string;
  /**
   * Run bodies executing at once in this process. graphile-worker holds up to
   * JOBS_PER_RUN_SLOT times as many jobs, so that claiming and recording runs overlaps with them.
   */
  concurrency?: number;
  /** A run whose worker stops renewing this lease is retried elsewhere. */
  leaseMs?: number;
  pollIntervalMs?: number;
  /** How long stop() lets in-flight runs finish before handing them back to the queue. */
  stopTimeoutMs?: number;
  /** Fire schedules.task crons (off for a worker that should only execute). */
  crons?: boolean;
  /**
   * graphile-worker's local queue: jobs are fetched (and locked) in batches, ~2.5x the throughput
   * on a 2-core box. A crash leaves fetched jobs locked; recoverExpiredRuns re-queues their runs
   * once they have waited a lease. 0 fetches one job at a time. Default 100.
   */
  localQueueSize?: number;
}

export interface LocalRuntime {
  catalog: TaskCatalog;
  workerId: string;
  stop(): Promise<void>;
}

/**
 * The offline engine of `pnpm dev` and the tests: the outbox dispatcher, a graphile-worker
 * runner executing the task definitions from trigger/, the crons of every schedules.task, and a
 * recovery loop for runs whose worker died. stop() lets in-flight runs finish (or hands them
 * back after stopTimeoutMs) and leaves undispatched outbox rows in place for the next start.
 */
export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const { clock } = options;
  const logger = options.logger.child({ component: "local-runtime" });
  const leaseMs = options.leaseMs ?? 30_000;
  const concurrency = options.concurrency ?? DEFAULT_RUN_CONCURRENCY;
  const settings = graphileSettings({ concurrency, localQueueSize: options.localQueueSize, pollIntervalMs: options.pollIntervalMs });
  const { workerId, catalog, executor, graphile } = await prepareLocalWorker({
    db: options.db,
    connectionString: options.connectionString,
    clock,
    logger: options.logger,
    providers: options.providers,
    tasksDir: options.tasksDir,
    leaseMs,
    concurrency,
    jobs: settings.jobs,
  });
  let runner: Runner;
  try {
    runner = await run({
      ...graphile,
      pollInterval: settings.pollInterval,
      // Paycron's crons are its own (schedules.task); an empty crontab keeps graphile from reading
      // a ./crontab file that happens to lie in the working directory.
      crontab: "",
      preset: settings.preset,
    });
  } catch (error) {
    await graphile.pgPool.end();
    throw error;
  }

  const dispatcher = startDispatcher({
    db: options.db,
    clock,
    logger,
    engine: localEngine(),
    connectionString: options.connectionString,
    pollIntervalMs: options.pollIntervalMs,
  });

  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();
  const every = (ms: number, fn: () => Promise<unknown>, what: string) => {
    const tick = async () => {
      if (stopped) return;
      try {
        await fn();
      } catch (error) {
        logger.error({ err: error }, `${what} failed`);
      }
    };
    void tick();
    timers.add(setInterval(() => void tick(), ms));
  };
  every(Math.max(100, Math.floor(leaseMs / 2)), () => recoverExpiredRuns({ db: options.db, logger, catalog, leaseMs }), "run recovery");

  let cronTimer: NodeJS.Timeout | undefined;
  const cronLoop = async () => {
    if (stopped) return;
    try {
      if ((await fireDueCrons({ db: options.db, clock, logger, catalog })) > 0) dispatcher.kick();
    } catch (error) {
      logger.error({ err: error }, "cron tick failed");
    }
    const now = clock.now();
    const next = nextCronSlot(catalog, now);
    // Re-check at least every 30 s: the clock may be moved by hand, and the host may sleep.
    const wait = next ? Math.min(30_000, Math.max(5, next.getTime() - now.getTime() + 5)) : 30_000;
    if (!stopped) cronTimer = setTimeout(() => void cronLoop(), wait);
  };
  if (options.crons !== false) void cronLoop();

  logger.info({ workerId, tasks: catalog.tasks.size }, "local runtime started");
  return {
    catalog,
    workerId,
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const t of timers) clearInterval(t);
      clearTimeout(cronTimer);
      await dispatcher.stop();
      // graphile stops taking jobs at once; runs it holds whose code has not started go back to
      // the queue, and those already running get the grace period.
      const runnerStopped = runner.stop();
      await executor.handBackWaiting();
      if (!(await executor.waitForIdle(options.stopTimeoutMs ?? 10_000))) {
        const released = await executor.releaseActive();
        logger.warn({ released }, "in-flight runs did not finish in time; handed back for retry");
      }
      await runnerStopped;
      await runner.promise;
      await graphile.pgPool.end();
      logger.info({ workerId }, "local runtime stopped");
    },
  };
}
