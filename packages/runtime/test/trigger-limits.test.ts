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
