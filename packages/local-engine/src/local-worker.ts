import { randomUUID } from "node:crypto";
import type { RunnerOptions } from "graphile-worker";
import type { Pool } from "pg";
import type { Clock, Logger } from "@paycron/core";
import { createPool, type Db } from "@paycron/db";
import { createTaskDeps, installTaskDeps, type ProviderFactories } from "@paycron/runtime";
import { loadTaskCatalog, type TaskCatalog } from "@paycron/runtime/catalog";
import { graphileLogger } from "./graphile-logger.ts";
import { poolMaxFor } from "./graphile-settings.ts";
import { RUN_JOB, type RunJobPayload } from "./graphile-jobs.ts";
import { localEngine } from "./local-engine.ts";
import { RunExecutor } from "./run-executor.ts";

export interface LocalWorkerOptions {
  db: Db;
  /** The same database as `db`: graphile-worker gets its own pool. */
  connectionString: string;
  clock: Clock;
  logger: Logger;
  providers?: Partial<ProviderFactories>;
  /** Task files to run; the production trigger/ by default. */
  tasksDir?: string;
  leaseMs: number;
  /** Run bodies executing at once. */
  concurrency: number;
  /** graphile jobs held at once (claimed, running or being recorded). */
  jobs: number;
  slotRetryMs?: number;
  slotWaitMs?: number;
}

export interface LocalWorker {
  workerId: string;
  catalog: TaskCatalog;
  executor: RunExecutor;
  /** What graphile's run() and runOnce() both take; the caller ends `pgPool`. */
  graphile: Pick<RunnerOptions, "concurrency" | "noHandleSignals" | "logger" | "taskList"> & { pgPool: Pool };
}

/**
 * Everything a process needs to execute local runs, whether it keeps running (startLocalRuntime)
 * or drains and returns (runUntilIdle): the checked task catalog, the task deps the task code
 * reads, the executor, and graphile options whose single job is the executor.
 */
export async function prepareLocalWorker(options: LocalWorkerOptions): Promise<LocalWorker> {
  const logger = options.logger.child({ component: "local-runtime" });
  const catalog = await loadTaskCatalog({ dir: options.tasksDir });
  if (catalog.problems.length > 0) throw new Error(`task catalog is invalid:\n  ${catalog.problems.join("\n  ")}`);
  installTaskDeps(createTaskDeps({ db: options.db, clock: options.clock, logger: options.logger, engine: localEngine() }, options.providers ?? {}));

  const workerId = `paycron-${randomUUID().slice(0, 8)}`;
  const executor = new RunExecutor({
    db: options.db,
    logger,
    catalog,
    workerId,
    leaseMs: options.leaseMs,
    concurrency: options.concurrency,
    slotRetryMs: options.slotRetryMs,
    slotWaitMs: options.slotWaitMs,
  });
  // graphile-worker gets its own pool with error handlers on pool and clients: a dropped
  // connection must not become an unhandled 'error' event (shared/notes/feasibility.md §4).
  const pgPool = createPool({
    connectionString: options.connectionString,
    max: poolMaxFor(options.jobs),
    applicationName: "paycron-worker",
    onError: (error) => logger.warn({ err: error }, "graphile-worker pool error"),
  });
  return {
    workerId,
    catalog,
    executor,
    graphile: {
      pgPool,
      concurrency: options.jobs,
      noHandleSignals: true,
      // Its lines name their own component (a child of the local-runtime logger would name two).
      logger: graphileLogger(options.logger),
      taskList: { [RUN_JOB]: async (payload) => executor.execute(payload as RunJobPayload) },
    },
  };
}
