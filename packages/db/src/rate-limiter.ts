import { sql } from "kysely";
import { burstOf, type RateBucket, type RateLimiter, RateLimitWaitTooLong } from "@paycron/core";
import type { Db } from "./pool.ts";

export interface PostgresRateLimiterOptions {
  /** A slot further away than this is not taken: `reserve` throws RateLimitWaitTooLong (retryable). Default 30 s. */
  maxWaitMs?: number;
}

const DEFAULT_MAX_WAIT_MS = 30_000;

interface ReserveRow {
  planned_ms: number;
  reserved: number;
  wait_ms: number | null;
}

/*
 * GCRA over `rate_limit_buckets`, one statement per reservation. A bucket's row holds its
 * theoretical arrival time (tat): a reservation moves it to greatest(tat, now) + 1/rate, and may
 * send at tat' - burst/rate (now if that is past). Reservations therefore queue up, each a slot
 * 1/rate after the previous one, and the caller sleeps once.
 *
 * The statement locks the existing rows in name order (`for update`, a sort below the lock), reads
 * the time only once it holds them, checks the max wait, then upserts every row in name order, so
 * two reservations never deadlock and a bucket seen for the first time is created by the same
 * statement. The wait is computed from the rows as the upsert left them, so it is exact even when a
 * first-time row was inserted concurrently (only the max-wait check used the pre-read).
 *
 * Time is Postgres's clock_timestamp(), not the injected Clock: this paces real requests to a
 * real remote service, so it needs real time, and one clock shared by every worker process (their
 * own clocks may disagree by more than a slot). A TestClock moved by a test must not open the tap.
 *
 * Each bucket counts the request when it is reserved, and the request goes when its strictest
 * bucket allows: a request held back by `POST /v1/payment_intents` is counted in `stripe:all` a
 * little before it is sent. Counting it at its send time instead would push `stripe:all`'s tat to
 * that time and hold every other Stripe call behind the queue of charges. The difference is bounded
 * by the requests waiting at once (the stripe-api concurrency limit); a 429 it may cause is retried.
 */
const RESERVE = (names: string[], intervalsUs: number[], bursts: number[], maxWaitMs: number) => sql<ReserveRow>`
  with req as (
    select * from unnest(${names}::text[], ${intervalsUs}::float8[], ${bursts}::float8[]) as r(name, interval_us, burst)
  ),
  locked as (
    select b.name, b.tat from rate_limit_buckets b where b.name = any(${names}::text[]) order by b.name for update
  ),
  clock as (
    select clock_timestamp() as now, l.n from (select count(*) as n from locked) l
  ),
  plan as (
    select c.now,
      greatest(c.now, max(greatest(coalesce(l.tat, c.now), c.now) + r.interval_us * (1 - r.burst) * interval '1 microsecond')) as send_at
    from req r cross join clock c left join locked l on l.name = r.name
    group by c.now
  ),
  reserved as (
    insert into rate_limit_buckets as b (name, tat)
    select r.name, p.now + r.interval_us * interval '1 microsecond'
    from req r cross join plan p
    where p.send_at <= p.now + ${maxWaitMs}::float8 * interval '1 millisecond'
    order by r.name
    on conflict (name) do update set tat = greatest(b.tat, (select now from plan)) + (excluded.tat - (select now from plan))
    returning b.name, b.tat
  )
  select
    extract(epoch from p.send_at - p.now)::float8 * 1000 as planned_ms,
    (select count(*) from reserved)::int as reserved,
    (select extract(epoch from greatest(p.now, max(x.tat - r.burst * r.interval_us * interval '1 microsecond')) - p.now)::float8 * 1000
       from reserved x join req r on r.name = x.name) as wait_ms
  from plan p
`;

/** The shared RateLimiter of every worker on one database (see RESERVE for the how and why). */
export function createPostgresRateLimiter(db: Db, options: PostgresRateLimiterOptions = {}): RateLimiter {
  const maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  return {
    async reserve(buckets) {
      if (buckets.length === 0) return { waitMs: 0 };
      const unique = validated(buckets);
      // Whole microseconds, rounded up: a rate is never exceeded by rounding.
      const intervalsUs = unique.map((b) => Math.ceil(1_000_000 / b.perSecond));
      const { rows } = await RESERVE(
        unique.map((b) => b.name),
        intervalsUs,
        unique.map(burstOf),
        maxWaitMs,
      ).execute(db);
      const row = rows[0]!;
      if (row.reserved === 0) throw new RateLimitWaitTooLong(unique, row.planned_ms, maxWaitMs);
      return { waitMs: Math.max(0, row.wait_ms ?? 0) };
    },
  };
}

function validated(buckets: readonly RateBucket[]): RateBucket[] {
  const byName = new Map<string, RateBucket>();
  for (const bucket of buckets) {
    if (!(bucket.perSecond > 0 && Number.isFinite(bucket.perSecond))) throw new RangeError(`rate bucket ${bucket.name}: perSecond must be a positive number, got ${bucket.perSecond}`);
    if (byName.has(bucket.name)) throw new RangeError(`rate bucket ${bucket.name} appears twice in one reservation`);
    byName.set(bucket.name, bucket);
  }
  return [...byName.values()];
}
