import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import type pg from "pg";
import { createPool } from "@paycron/db";
import type { Completions } from "./completions.ts";
import { GRAPHILE, taskStarted } from "./local-engine.ts";

/** The graphile task of the benches: a no-op, like the bench's Paycron task. */
export const GRAPHILE_TASK = "bench_noop";

/**
 * graphile records a completed job by deleting its row (batched: `delete from … _private_jobs …
 * using unnest($1::bigint[])`, or `… where id = $1` for one). The `with j as (delete …)` variant
 * for jobs in a named queue is not matched: the bench's jobs have no queue.
 */
export const GRAPHILE_COMPLETES = /^\s*delete from \S+\._private_jobs\b/i;

// graphile-worker is a dependency of @paycron/local-engine, not of the root package: load the very
// copy the local engine uses. This is the part of its API the bench uses.
interface GraphileRunner {
  stop(): Promise<void>;
  promise: Promise<void>;
}
export interface GraphileWorkerUtils {
  addJobs(specs: Array<{ identifier: string; payload: unknown }>): Promise<unknown[]>;
  release(): Promise<void>;
}
interface GraphileWorker {
  run(options: Record<string, unknown>): Promise<GraphileRunner>;
  makeWorkerUtils(options: { pgPool: pg.Pool; logger?: unknown }): Promise<GraphileWorkerUtils>;
  Logger: new (factory: () => () => void) => unknown;
}
const engineRequire = createRequire(fileURLToPath(import.meta.resolve("@paycron/local-engine")));
const graphile = (await import(pathToFileURL(engineRequire.resolve("graphile-worker")).href)) as GraphileWorker;
const graphileSilent = new graphile.Logger(() => () => {});

/**
 * A graphile-worker running GRAPHILE_TASK with the settings startLocalRuntime gives its own
 * (GRAPHILE, from @paycron/local-engine): the same job slots, pool size, poll interval, local
 * queue and batched completion. `completions` sees the jobs it completes.
 */
export async function startGraphile(url: string, completions: Completions) {
  const pool = createPool({ connectionString: url, max: GRAPHILE.poolMax, applicationName: "bench-graphile", onError: () => {} });
  completions.observe(pool);
  const runner = await graphile.run({
    pgPool: pool,
    concurrency: GRAPHILE.jobs,
    noHandleSignals: true,
    pollInterval: GRAPHILE.pollInterval,
    logger: graphileSilent,
    taskList: { [GRAPHILE_TASK]: async () => taskStarted() },
    preset: GRAPHILE.preset,
  });
  return {
    async stop() {
      await runner.stop();
      await runner.promise;
      await pool.end();
    },
  };
}

/** A producer's handle on graphile (addJobs), on the producer's own pool. */
export function graphileProducer(pool: pg.Pool): Promise<GraphileWorkerUtils> {
  return graphile.makeWorkerUtils({ pgPool: pool, logger: graphileSilent });
}
