import { describe, expect, it } from "vitest";
import { loadTaskCatalog } from "@paycron/runtime/catalog";
import { cronSlots } from "./cron-slots.ts";
import { addMonthsUtc, BEHAVIOUR, generateScenario } from "./scenario.ts";

const start = new Date("2015-01-01T00:00:00Z");
const input = { customers: 1_000, months: 12, declineRate: 0.2, seed: 42, start };

describe("generateScenario", () => {
  it("is a function of its seed: the same seed draws the same scenario, another seed another", () => {
    expect(generateScenario(input)).toEqual(generateScenario(input));
    expect(generateScenario({ ...input, seed: 43 }).actions).not.toEqual(generateScenario(input).actions);
  });

  it("signs everyone up in the first weeks, on every plan, and gives about R of them a declining card", () => {
    const scenario = generateScenario(input);
    const signUps = scenario.actions.filter((a) => a.kind === "sign_up");
    expect(signUps).toHaveLength(1_000);
    const lastSignUp = new Date(start.getTime() + BEHAVIOUR.signUpDays * 86_400_000);
    expect(signUps.every((a) => a.at >= start && a.at < lastSignUp)).toBe(true);
    expect(new Set(scenario.customers.map((c) => c.plan))).toEqual(new Set(["monthly", "weekly", "yearly", "usage"]));
    expect(scenario.customers.some((c) => c.payer === "bank")).toBe(true);
    // Declining: from sign-up, or a good card that goes bad later.
    const declining = new Set([
      ...scenario.customers.filter((c) => c.payer === "declining_card").map((c) => c.index),
      ...scenario.actions.filter((a) => a.kind === "card_goes_bad").map((a) => a.customer),
    ]);
    expect(declining.size).toBeGreaterThan(150);
    expect(declining.size).toBeLessThan(250);
    // They fix it, each at most once, after a geometric wait (some only after the dunning ladder ran out).
    const fixed = scenario.actions.filter((a) => a.kind === "card_fixed").map((a) => a.customer);
    expect(new Set(fixed).size).toBe(fixed.length);
    expect(fixed.length).toBeGreaterThan(declining.size / 2);
    expect(fixed.every((c) => declining.has(c))).toBe(true);
  });

  it("orders actions in time, inside the simulated span, usage only for usage customers after they signed up", () => {
    const scenario = generateScenario(input);
    const times = scenario.actions.map((a) => a.at.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(scenario.actions.every((a) => a.at >= start && a.at < scenario.end)).toBe(true);
    for (const action of scenario.actions.filter((a) => a.kind === "usage")) {
      const customer = scenario.customers[action.customer]!;
      expect(customer.plan).toBe("usage");
      expect(action.at > customer.signUpAt).toBe(true);
    }
  });

  it("ends M calendar months after the start, month ends clamped", () => {
    expect(generateScenario(input).end).toEqual(new Date("2016-01-01T00:00:00Z"));
    expect(addMonthsUtc(new Date("2015-01-31T00:00:00Z"), 1)).toEqual(new Date("2015-02-28T00:00:00Z"));
  });
});

describe("cronSlots", () => {
  it("stops at every hourly-cron and daily-cron slot of a year, with outbox-sweep once a day", async () => {
    const catalog = await loadTaskCatalog();
    const slots = cronSlots(catalog, start, new Date("2016-01-01T00:00:00Z"));
    const count = (task: string) => slots.filter((s) => s.tasks.includes(task)).length;

    expect(count("hourly-cron")).toBe(365 * 24);
    expect(count("daily-cron")).toBe(365);
    expect(count("outbox-sweep")).toBe(365);
    expect(slots[0]).toEqual({ at: new Date("2015-01-01T00:10:00Z"), tasks: ["daily-cron", "outbox-sweep"] });
    expect(slots[1]).toEqual({ at: new Date("2015-01-01T01:00:00Z"), tasks: ["hourly-cron"] });
    expect(slots.at(-1)).toEqual({ at: new Date("2016-01-01T00:00:00Z"), tasks: ["hourly-cron"] });
  });
});
