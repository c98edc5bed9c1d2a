/**
 * Each attempt waits on two database round trips (its claim, its completion) besides its code.
 * With graphile's concurrency equal to the run limit those waits idle the slots; with more jobs
 * in hand than run slots, a run's code starts while others are being claimed and recorded.
 */
export const JOBS_PER_RUN_SLOT = 4;
export const DEFAULT_RUN_CONCURRENCY = 10;
export const DEFAULT_LOCAL_QUEUE_SIZE = 100;
export const DEFAULT_POLL_INTERVAL_MS = 1_000;

/** graphile warns below its concurrency; connections open only as fetches and completions need them. */
export const poolMaxFor = (jobs: number) => jobs + 2;

/**
 * How the local runtime configures graphile-worker for `concurrency` run bodies. Exported so that
 * the benchmark's graphile baseline runs with exactly these settings.
 */
export function graphileSettings(options: { concurrency?: number; localQueueSize?: number; pollIntervalMs?: number } = {}) {
  const jobs = (options.concurrency ?? DEFAULT_RUN_CONCURRENCY) * JOBS_PER_RUN_SLOT;
  const localQueueSize = options.localQueueSize ?? DEFAULT_LOCAL_QUEUE_SIZE;
  const worker = {
    // Batched job completion: fewer statements per run. A crash may leave completed jobs locked a
    // little longer; their runs are already final, so nothing runs twice.
    completeJobBatchDelay: 0,
    failJobBatchDelay: 0,
    // graphile's local queue fetches (and locks) jobs in batches, ~2.5x the throughput on 2 cores;
    // recoverExpiredRuns re-queues what a crash left fetched. 0 fetches one job at a time.
    ...(localQueueSize > 0 ? { localQueue: { size: localQueueSize } } : {}),
  };
  return {
    jobs,
    poolMax: poolMaxFor(jobs),
    pollInterval: options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
    preset: { worker },
  };
}
