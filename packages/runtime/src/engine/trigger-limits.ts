/**
 * Trigger.dev's platform limits as the dispatcher paces itself to them (trigger.dev/docs/limits,
 * Hobby/Pro): at most 1,000 items a batch, a token bucket of runs for batches (5,000 burst, then
 * 500 every 5 s) and 1,500 API requests a minute. Configuration, because plans and self-hosted
 * instances differ (`TRIGGER_*` in .env.example).
 */
export interface TriggerLimits {
  maxBatchItems: number;
  batchBurst: number;
  batchRefillRuns: number;
  batchRefillEveryMs: number;
  apiRequestsPerMinute: number;
}

export const DEFAULT_TRIGGER_LIMITS: TriggerLimits = {
  maxBatchItems: 1_000,
  batchBurst: 5_000,
  batchRefillRuns: 500,
  batchRefillEveryMs: 5_000,
  apiRequestsPerMinute: 1_500,
};

/** The API allows a minute's requests; a tenth of them at once keeps bursts polite. */
const API_BURST_FRACTION = 0.1;
/** After a 429 the refill rates are halved, and they grow back by this much per request that succeeds. */
const RECOVERY_PER_SUCCESS = 0.05;
const MIN_SCALE = 0.1;

/**
 * This process's view of the platform's buckets, so that it sends only what the platform will take
 * and a 429 stays the exception. Real time (not the injected Clock): it paces real requests to a real
 * remote. Several dispatchers share the platform's buckets without seeing each other, so a 429 is
 * expected now and then: it pauses this process until the platform's reset and halves its rates,
 * which grow back as requests succeed (additive increase, multiplicative decrease).
 */
export class TriggerPacer {
  private batchTokens: number;
  private batchRefilledAt: number;
  private apiTokens: number;
  private apiRefilledAt: number;
  private pausedUntil = 0;
  private scale = 1;

  constructor(
    readonly limits: TriggerLimits = DEFAULT_TRIGGER_LIMITS,
    private readonly nowMs: () => number = () => performance.now(),
  ) {
    const now = nowMs();
    this.batchTokens = limits.batchBurst;
    this.batchRefilledAt = now;
    this.apiTokens = this.apiBurst;
    this.apiRefilledAt = now;
  }

  private get apiBurst(): number {
    return Math.max(2, Math.floor(this.limits.apiRequestsPerMinute * API_BURST_FRACTION));
  }

  private refill(now: number): void {
    const { batchBurst, batchRefillRuns, batchRefillEveryMs, apiRequestsPerMinute } = this.limits;
    // Batch runs come back in steps, as on the platform.
    const steps = Math.floor((now - this.batchRefilledAt) / batchRefillEveryMs);
    if (steps > 0) {
      this.batchTokens = Math.min(batchBurst, this.batchTokens + steps * batchRefillRuns * this.scale);
      this.batchRefilledAt += steps * batchRefillEveryMs;
    }
    // The platform refills on a clock of its own, which we cannot see. A full bucket starts no
    // step: counted from the first spend after it, our steps come no sooner than the platform's
    // (its next refill is at most one step after any moment), so we never count a run it lacks.
    if (this.batchTokens >= batchBurst) this.batchRefilledAt = now;
    this.apiTokens = Math.min(this.apiBurst, this.apiTokens + ((now - this.apiRefilledAt) * apiRequestsPerMinute * this.scale) / 60_000);
    this.apiRefilledAt = now;
  }

  /**
   * How many items may go now: `batch` in one batch (two requests: create, then stream, and a run
   * token each), or `single` for one item alone (one request, no batch token; a run's lone
   * follow-up). When nothing may go, how long until something may.
   */
  capacity(): { batch: number; single: boolean; retryInMs: number } {
    const now = this.nowMs();
    if (now < this.pausedUntil) return { batch: 0, single: false, retryInMs: this.pausedUntil - now };
    this.refill(now);
    const single = this.apiTokens >= 1;
    const batch = this.apiTokens >= 2 ? Math.min(this.limits.maxBatchItems, Math.floor(this.batchTokens)) : 0;
    if (batch >= 2) return { batch, single, retryInMs: 0 };
    const apiWait = this.msUntilApiTokens(2);
    const batchWait = this.batchTokens >= 2 ? 0 : this.batchRefilledAt + this.limits.batchRefillEveryMs - now;
    return { batch: 0, single, retryInMs: Math.max(1, apiWait, batchWait) };
  }

  private msUntilApiTokens(n: number): number {
    return Math.max(0, Math.ceil(((n - this.apiTokens) * 60_000) / (this.limits.apiRequestsPerMinute * this.scale)));
  }

  /** Counts what a send used: `requests` API calls and `runs` batch runs. */
  spend(requests: number, runs: number): void {
    this.refill(this.nowMs());
    this.apiTokens -= requests;
    this.batchTokens -= runs;
  }

  succeeded(): void {
    this.scale = Math.min(1, this.scale + RECOVERY_PER_SUCCESS);
  }

  /** The platform said 429: nothing goes until it resets, and the rates halve. */
  rateLimited(retryInMs: number): void {
    const now = this.nowMs();
    this.pausedUntil = Math.max(this.pausedUntil, now + retryInMs);
    this.scale = Math.max(MIN_SCALE, this.scale / 2);
    this.batchTokens = 0;
    this.batchRefilledAt = this.pausedUntil - this.limits.batchRefillEveryMs;
    // At the reset the platform takes requests again: enough for one batch.
    this.apiTokens = 2;
    this.apiRefilledAt = this.pausedUntil;
  }

  /** Whether anything is paced at all (the stats line shows the rate it allows). */
  get rateScale(): number {
    return this.scale;
  }
}
