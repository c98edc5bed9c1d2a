import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import type pg from "pg";
import { createPool } from "@paycron/db";

/** The bare graphile task of the benches: its handler only counts. */
export const GRAPHILE_TASK = "bench_noop";

// graphile-worker is a dependency of @paycron/runtime, not of the root package: load the very copy
// the runtime uses. This is the part of its API the benches use.
interface GraphileRunner {
  stop(): Promise<void>;
  promise: Promise<void>;
}
export interface GraphileWorkerUtils {
  addJob(identifier: string, payload: unknown): Promise<unknown>;
  addJobs(specs: Array<{ identifier: string; payload: unknown }>): Promise<unknown[]>;
  release(): Promise<void>;
}
interface GraphileWorker {
  run(options: Record<string, unknown>): Promise<GraphileRunner>;
  makeWorkerUtils(options: { pgPool: pg.Pool; logger?: unknown }): Promise<GraphileWorkerUtils>;
  Logger: new (factory: () => () => void) => unknown;
}
const runtimeRequire = createRequire(fileURLToPath(import.meta.resolve("@paycron/runtime")));
const graphile = (await import(pathToFileURL(runtimeRequire.resolve("graphile-worker")).href)) as GraphileWorker;
const graphileSilent = new graphile.Logger(() => () => {});

/**
 * A bare graphile-worker running GRAPHILE_TASK. tuned: as the local runtime configures graphile
 * (local queue, batched completion; start-local-runtime.ts); otherwise graphile's defaults.
 */
export async function startGraphile(url: string, onJob: () => void, options: { concurrency: number; localQueueSize: number; tuned?: boolean }) {
  const pool = createPool({ connectionString: url, max: options.concurrency + 2, applicationName: "bench-graphile", onError: () => {} });
  const tuned = options.tuned ?? true;
  const runner = await graphile.run({
    pgPool: pool,
    concurrency: options.concurrency,
    noHandleSignals: true,
    pollInterval: 1_000,
    logger: graphileSilent,
    taskList: { [GRAPHILE_TASK]: async () => onJob() },
    ...(tuned ? { preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0, localQueue: { size: options.localQueueSize } } } } : {}),
  });
  const utils = await graphile.makeWorkerUtils({ pgPool: pool, logger: graphileSilent });
  return {
    utils,
    async stop() {
      await utils.release();
      await runner.stop();
      await runner.promise;
      await pool.end();
    },
  };
}
