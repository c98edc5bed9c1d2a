import { DomainError } from "./errors.ts";

/**
 * One rate a remote service enforces, e.g. Stripe's 25 requests/s on `POST /v1/payment_intents`.
 * Every process that calls the service reserves in the bucket of the same name, so the rate holds
 * for all of them together.
 */
export interface RateBucket {
  /** The bucket's identity across processes: `stripe:all`, `stripe:POST /v1/payment_intents`. */
  name: string;
  /** Requests per second in the long run (> 0). */
  perSecond: number;
  /** Requests that may go at once after a quiet spell. Default: one second's worth (at least 1). */
  burst?: number;
}

/** A slot taken in every bucket of one reservation. */
export interface RateReservation {
  /** How long (real milliseconds, ≥ 0) the caller must wait before sending; its slot is held meanwhile. */
  waitMs: number;
}

/**
 * Paces requests to a remote service by reservation: `reserve` takes a slot at once (the bucket
 * may go into debt) and says how long to wait, so callers sleep once and never poll. A slot
 * further away than the implementation's maximum wait is not taken: `reserve` throws
 * `RateLimitWaitTooLong`, which is retryable.
 */
export interface RateLimiter {
  reserve(buckets: readonly RateBucket[]): Promise<RateReservation>;
}

/** The burst a bucket allows: its own, or one second's worth, never less than one request. */
export function burstOf(bucket: RateBucket): number {
  return Math.max(1, bucket.burst ?? bucket.perSecond);
}

/** The buckets' slot is further away than the limiter waits: the caller should retry later. */
export class RateLimitWaitTooLong extends DomainError<"rate_limit_wait_too_long"> {
  constructor(buckets: readonly RateBucket[], waitMs: number, maxWaitMs: number) {
    super(
      "rate_limit_wait_too_long",
      `rate limit ${buckets.map((b) => b.name).join(" + ")}: the next slot is ${Math.ceil(waitMs)} ms away, beyond the ${maxWaitMs} ms this caller waits`,
      { retryable: true, details: { buckets: buckets.map((b) => b.name), waitMs, maxWaitMs } },
    );
  }
}
