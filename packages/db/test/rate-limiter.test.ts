import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isDomainError, type RateBucket, RateLimitWaitTooLong } from "@paycron/core";
import { createDb, createPostgresRateLimiter, type Db } from "../src/index.ts";
import { useTestDb } from "../src/testing/index.ts";

/*
 * No wall-clock assertions: every expectation is derived from the rates and from the database's
 * own clock, which is what the limiter reads. Slow rates (a slot every 10 or 100 s) keep the time a
 * test takes to run far below one slot, so slots can be told apart by rounding.
 */
const t = useTestDb();
const HOUR_MS = 3_600_000;
/** Float rounding of interval arithmetic, in ms. */
const EPSILON_MS = 0.01;

const dbNow = async (db: Db) => (await sql<{ ms: number }>`select extract(epoch from clock_timestamp())::float8 * 1000 as ms`.execute(db)).rows[0]!.ms;
const tatOf = async (db: Db, name: string) => {
  const row = await db.selectFrom("rate_limit_buckets").select(sql<number>`extract(epoch from tat)::float8 * 1000`.as("ms")).where("name", "=", name).executeTakeFirst();
  return row?.ms;
};

describe("the Postgres rate limiter", () => {
  it("lets the burst go at once, then spaces reservations 1/rate apart", async () => {
    const limiter = createPostgresRateLimiter(t.db, { maxWaitMs: HOUR_MS });
    const bucket: RateBucket = { name: "test:spacing", perSecond: 0.1, burst: 3 };
    const slotMs = 10_000;

    const before = await dbNow(t.db);
    const waits: number[] = [];
    for (let k = 1; k <= 10; k++) waits.push((await limiter.reserve([bucket])).waitMs);
    const elapsed = (await dbNow(t.db)) - before;

    expect(waits.slice(0, 3)).toEqual([0, 0, 0]);
    for (let k = 4; k <= 10; k++) {
      const wait = waits[k - 1]!;
      // The k-th reservation's slot is (k - burst) slots after the first one's time; it waits
      // that long minus the time that passed since then.
      expect(wait).toBeLessThanOrEqual((k - 3) * slotMs + EPSILON_MS);
      expect(wait).toBeGreaterThanOrEqual((k - 3) * slotMs - elapsed - EPSILON_MS);
    }
    // The bucket's debt: ten slots from the first reservation's time.
    expect((await tatOf(t.db, bucket.name))! - before).toBeGreaterThanOrEqual(10 * slotMs - EPSILON_MS);
    expect((await tatOf(t.db, bucket.name))! - before).toBeLessThanOrEqual(10 * slotMs + elapsed + EPSILON_MS);
  });

  it("takes a slot in every bucket of a reservation and waits for the strictest", async () => {
    const limiter = createPostgresRateLimiter(t.db, { maxWaitMs: HOUR_MS });
    const strict: RateBucket = { name: "test:two:strict", perSecond: 0.01, burst: 1 }; // a slot every 100 s
    const loose: RateBucket = { name: "test:two:loose", perSecond: 0.1, burst: 5 }; // every 10 s, 5 at once

    const before = await dbNow(t.db);
    const first = await limiter.reserve([loose, strict]);
    const second = await limiter.reserve([strict, loose]);
    const looseOnly = await limiter.reserve([loose]);
    const elapsed = (await dbNow(t.db)) - before;

    expect(first.waitMs).toBe(0);
    // The strict bucket's one slot is taken: the second waits a whole strict slot.
    expect(second.waitMs).toBeLessThanOrEqual(100_000 + EPSILON_MS);
    expect(second.waitMs).toBeGreaterThanOrEqual(100_000 - elapsed - EPSILON_MS);
    // The loose bucket counted both (3 of its 5 now), so it still lets one more through at once.
    expect(looseOnly.waitMs).toBe(0);
    expect((await tatOf(t.db, loose.name))! - before).toBeGreaterThanOrEqual(3 * 10_000 - EPSILON_MS);
    expect((await tatOf(t.db, loose.name))! - before).toBeLessThanOrEqual(3 * 10_000 + elapsed + EPSILON_MS);
    expect((await tatOf(t.db, strict.name))! - before).toBeGreaterThanOrEqual(2 * 100_000 - EPSILON_MS);
  });

  describe("shared by two workers (two pools)", () => {
    let workers: [Db, Db];
    beforeAll(() => {
      workers = [createDb({ connectionString: t.url, max: 10 }), createDb({ connectionString: t.url, max: 10 })];
    });
    afterAll(async () => {
      await Promise.all(workers.map((db) => db.destroy()));
    });

    it("gives concurrent reservers distinct slots, and exactly the burst at once", async () => {
      const bucket: RateBucket = { name: "test:concurrent", perSecond: 0.01, burst: 5 };
      const slotMs = 100_000;
      const limiters = workers.map((db) => createPostgresRateLimiter(db, { maxWaitMs: 24 * HOUR_MS }));

      const reservations = await Promise.all(Array.from({ length: 40 }, (_, i) => limiters[i % 2]!.reserve([bucket])));

      const waits = reservations.map((r) => r.waitMs);
      expect(waits.filter((w) => w === 0)).toHaveLength(5);
      // Everything beyond the burst sits in its own slot: 1, 2, … 35 slots away (the whole test
      // takes far less than half a slot, so rounding tells them apart).
      const slots = waits.filter((w) => w > 0).map((w) => Math.round(w / slotMs)).sort((a, b) => a - b);
      expect(slots).toEqual(Array.from({ length: 35 }, (_, i) => i + 1));
    });

    it("never deadlocks on two buckets named in either order", async () => {
      const a: RateBucket = { name: "test:order:a", perSecond: 1000 };
      const b: RateBucket = { name: "test:order:b", perSecond: 1000 };
      const limiters = workers.map((db) => createPostgresRateLimiter(db));

      const reservations = await Promise.all(Array.from({ length: 60 }, (_, i) => limiters[i % 2]!.reserve(i % 3 === 0 ? [a, b] : [b, a])));

      expect(reservations).toHaveLength(60);
      expect(reservations.every((r) => r.waitMs >= 0)).toBe(true);
      const rows = await t.db.selectFrom("rate_limit_buckets").select("name").where("name", "in", [a.name, b.name]).execute();
      expect(rows).toHaveLength(2);
    });
  });

  it("refuses a slot beyond the max wait, as retryable, without taking it", async () => {
    const bucket: RateBucket = { name: "test:max-wait", perSecond: 0.01, burst: 1 };
    const limiter = createPostgresRateLimiter(t.db, { maxWaitMs: 150_000 });

    const before = await dbNow(t.db);
    expect((await limiter.reserve([bucket])).waitMs).toBe(0);
    expect((await limiter.reserve([bucket])).waitMs).toBeGreaterThan(50_000);
    const tat = await tatOf(t.db, bucket.name);

    const refused = await limiter.reserve([bucket]).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RateLimitWaitTooLong);
    expect(isDomainError(refused, "rate_limit_wait_too_long") && refused.retryable).toBe(true);
    expect(await tatOf(t.db, bucket.name)).toBe(tat);

    // Nothing was taken: a caller that waits longer gets the third slot (200 s), not a fourth.
    const patient = await createPostgresRateLimiter(t.db, { maxWaitMs: HOUR_MS }).reserve([bucket]);
    const elapsed = (await dbNow(t.db)) - before;
    expect(patient.waitMs).toBeLessThanOrEqual(200_000 + EPSILON_MS);
    expect(patient.waitMs).toBeGreaterThanOrEqual(200_000 - elapsed - EPSILON_MS);
  });
});
