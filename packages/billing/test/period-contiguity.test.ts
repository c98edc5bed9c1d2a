import { describe, expect, it } from "vitest";
import { BILLING_INTERVALS, periodBounds, periodContaining, type BillingCadence } from "../src/index.ts";
import { toLocalMs } from "../src/periods/zoned-time.ts";

/** mulberry32: a fixed seed makes a failure reproducible. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ZONES = ["UTC", "Europe/Paris", "America/New_York", "America/Los_Angeles", "Asia/Tokyo", "Australia/Lord_Howe", "Asia/Kolkata", "America/Santiago"];
const SEED = 20261203;
const CADENCES = 60;
const PERIODS = 40;

describe("contiguity over random anchors (seed 20261203)", () => {
  for (const interval of BILLING_INTERVALS) {
    it(`every ${interval}: end of n is start of n+1, periods are non-empty, local day and time are the anchor's`, () => {
      const next = random(SEED + interval.length);
      for (let c = 0; c < CADENCES; c++) {
        const cadence: BillingCadence = {
          // Anchors from 2000 to 2040, on any minute; day 28–31 often, where clamping happens.
          anchor: new Date(Date.UTC(2000 + Math.floor(next() * 40), Math.floor(next() * 12), next() < 0.4 ? 28 + Math.floor(next() * 4) : 1 + Math.floor(next() * 28), Math.floor(next() * 24), Math.floor(next() * 60))),
          interval,
          intervalCount: next() < 0.5 ? 1 : 1 + Math.floor(next() * 12),
          timezone: ZONES[Math.floor(next() * ZONES.length)]!,
        };
        const context = JSON.stringify(cadence);
        let previous = periodBounds({ ...cadence, index: -1 });
        for (let index = 0; index < PERIODS; index++) {
          const bounds = periodBounds({ ...cadence, index });
          expect(bounds.start.getTime(), context).toBe(previous.end.getTime());
          expect(bounds.end.getTime(), context).toBeGreaterThan(bounds.start.getTime());
          // Recomputed from the anchor, not chained: the same bounds whichever index came first.
          const probe = new Date(bounds.start.getTime() + Math.floor(next() * (bounds.end.getTime() - bounds.start.getTime())));
          expect(periodContaining(probe, cadence), context).toEqual({ index, ...bounds });
          expect(periodContaining(bounds.start, cadence).index, context).toBe(index);
          if (interval === "month" || interval === "year") expectKeepsAnchorDay(cadence, bounds.start, context);
          previous = bounds;
        }
      }
    });
  }
});

/** A month or year boundary falls on the anchor's local day, or the month's last day when shorter. */
function expectKeepsAnchorDay(cadence: BillingCadence, start: Date, context: string): void {
  const anchorLocal = new Date(toLocalMs(cadence.anchor.getTime(), cadence.timezone));
  const local = new Date(toLocalMs(start.getTime(), cadence.timezone));
  const lastDay = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1, 0)).getUTCDate();
  const wantedDay = Math.min(anchorLocal.getUTCDate(), lastDay);
  // Only a DST gap right before midnight could push a boundary's wall clock into the next day.
  if (local.getUTCDate() !== wantedDay) {
    const gapShifted = new Date(local.getTime() - 3_600_000).getUTCDate() === wantedDay;
    expect(gapShifted, `${context} @ ${start.toISOString()}`).toBe(true);
  } else {
    expect(local.getUTCDate(), context).toBe(wantedDay);
  }
}
