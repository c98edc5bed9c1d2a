import { describe, expect, it } from "vitest";
import { DEFAULT_TRIGGER_LIMITS, TriggerPacer } from "../src/engine/trigger-limits.ts";

/** A pacer on a hand-moved clock. */
function pacer(limits = {}) {
  let now = 1_000_000;
  const p = new TriggerPacer({ ...DEFAULT_TRIGGER_LIMITS, ...limits }, () => now);
  return { p, advance: (ms: number) => (now += ms) };
}

describe("pacing to Trigger.dev's limits", () => {
  it("spends the burst in batches of at most the maximum, then refills in the platform's steps", () => {
    const { p, advance } = pacer();
    const sent: number[] = [];
    for (let c = p.capacity(); c.batch >= 2; c = p.capacity()) {
      sent.push(c.batch);
      p.spend(2, c.batch);
    }
    expect(sent).toEqual([1_000, 1_000, 1_000, 1_000, 1_000]);
    expect(p.capacity()).toMatchObject({ batch: 0, retryInMs: 5_000 });
    advance(4_999);
    expect(p.capacity().batch).toBe(0);
    advance(1);
    expect(p.capacity().batch).toBe(500);
    advance(60_000);
    expect(p.capacity().batch).toBe(1_000);
  });

  it("never counts a run the platform lacks, whatever the phase of the platform's own refill clock", () => {
    const limits = { batchBurst: 400, batchRefillRuns: 200, batchRefillEveryMs: 500, apiRequestsPerMinute: 1_000_000 };
    for (const phase of [0, 1, 137, 250, 499]) {
      const { p, advance } = pacer(limits);
      // The platform's bucket: full, refilled in steps at its own phase, relative to the pacer's birth.
      let server = limits.batchBurst;
      let serverRefillAt = phase === 0 ? limits.batchRefillEveryMs : phase;
      let elapsed = 0;
      for (let tick = 0; tick < 20_000; tick += 7) {
        advance(7);
        elapsed += 7;
        while (serverRefillAt <= elapsed) {
          server = Math.min(limits.batchBurst, server + limits.batchRefillRuns);
          serverRefillAt += limits.batchRefillEveryMs;
        }
        const { batch } = p.capacity();
        if (batch < 2) continue;
        expect(batch, `phase ${phase}, ${elapsed} ms in`).toBeLessThanOrEqual(server);
        p.spend(2, batch);
        server -= batch;
      }
    }
  });

  it("keeps to the API's requests a minute: one item alone needs one request, a batch two", () => {
    const { p, advance } = pacer({ apiRequestsPerMinute: 60 });
    // A tenth of a minute's requests at once: 6.
    for (let i = 0; i < 6; i++) {
      expect(p.capacity().single).toBe(true);
      p.spend(1, 0);
    }
    expect(p.capacity()).toMatchObject({ batch: 0, single: false, retryInMs: 2_000 });
    advance(1_000);
    expect(p.capacity()).toMatchObject({ batch: 0, single: true });
    advance(1_000);
    expect(p.capacity().batch).toBe(1_000);
  });

  it("after a 429 sends nothing until the reset, then at half the rates, which grow back with successes", () => {
    const { p, advance } = pacer();
    p.rateLimited(3_000);
    expect(p.capacity()).toEqual({ batch: 0, single: false, retryInMs: 3_000 });
    advance(2_999);
    expect(p.capacity().retryInMs).toBe(1);
    advance(1);
    expect(p.capacity().batch).toBe(250);
    expect(p.rateScale).toBe(0.5);
    p.rateLimited(1_000);
    expect(p.rateScale).toBe(0.25);
    for (let i = 0; i < 100; i++) p.succeeded();
    expect(p.rateScale).toBe(1);
  });
});
