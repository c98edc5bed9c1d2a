import type { Logger, TestClock } from "@paycron/core";
import type { Db } from "@paycron/db";
import { fireDueCrons, localEngine } from "@paycron/local-engine";
import { dispatchDue } from "@paycron/runtime";
import type { TaskCatalog } from "@paycron/runtime/catalog";
import type { StripeEmulator } from "@paycron/stripe-emulator";
import { performAction, recordUsage, type ActionDeps, type SignedUp } from "./actions.ts";
import type { Chaos } from "./chaos.ts";
import { drain } from "./drain.ts";
import { catalogFiring, cronSlots } from "./cron-slots.ts";
import { HOUR_MS, type Scenario, type ScenarioAction } from "./scenario.ts";
import { isChildWorker, type ChildWorker, type SimulationWorker } from "./worker.ts";

export interface TickLoopDeps {
  db: Db;
  clock: TestClock;
  logger: Logger;
  emulator: StripeEmulator;
  worker: SimulationWorker | ChildWorker;
  catalog: TaskCatalog;
  actions: ActionDeps;
  chaos?: Chaos;
  drainTimeoutMs: number;
  onDay?: (day: number, signedUp: number) => void;
}

export interface TickLoopResult {
  /** Slots fired per cron (hourly-cron: one per simulated hour). */
  cronSlots: Record<string, number>;
  signedUp: number;
}

/**
 * Moves the clock from the scenario's start to its end, stopping at every slot of the hourly and
 * daily crons. At a slot: the emulator settles the bank debits now due, every cron whose slot it
 * is fires, and everything they set off is drained. Between slots the customers act at their
 * own moments, each moment drained before the next. No slot is skipped: hourly-cron runs once
 * per simulated hour, daily-cron once per simulated day, each at its own time.
 */
export async function runTicks(deps: TickLoopDeps, scenario: Scenario): Promise<TickLoopResult> {
  const signedUp = new Map<number, SignedUp>();
  const fired: Record<string, number> = {};
  const { clock } = deps;
  await moveClock(deps, scenario.start);
  // A schedule seen for the first time starts from now: this records every cron's first slot.
  await fireDueCrons({ db: deps.db, clock, logger: deps.logger, catalog: deps.catalog });

  const actions = scenario.actions;
  let next = 0;
  const actUntil = async (before: number) => {
    while (next < actions.length && actions[next]!.at.getTime() < before) {
      const at = actions[next]!.at.getTime();
      const group: ScenarioAction[] = [];
      while (next < actions.length && actions[next]!.at.getTime() === at) group.push(actions[next++]!);
      await moveClock(deps, new Date(at));
      await recordUsage(deps.actions, signedUp, group.filter((a) => a.kind === "usage"));
      const acts = group.filter((a) => a.kind !== "usage");
      if (acts.length === 0) continue;
      for (const action of acts) await performAction(deps.actions, signedUp, action);
      await settle(deps);
    }
  };
  const dayMs = 24 * HOUR_MS;
  const firing = new Map<string, TaskCatalog>();
  for (const slot of cronSlots(deps.catalog, scenario.start, scenario.end)) {
    await actUntil(slot.at.getTime());
    await moveClock(deps, slot.at);
    deps.emulator.settle();
    const key = slot.tasks.join(" ");
    if (!firing.has(key)) firing.set(key, catalogFiring(deps.catalog, slot.tasks));
    await fireDueCrons({ db: deps.db, clock, logger: deps.logger, catalog: firing.get(key)! });
    await dispatchDue({ db: deps.db, clock, logger: deps.logger, engine: localEngine() });
    for (const task of slot.tasks) fired[task] = (fired[task] ?? 0) + 1;
    await settle(deps);
    const elapsed = slot.at.getTime() - scenario.start.getTime();
    if (elapsed % dayMs === 0) deps.onDay?.(elapsed / dayMs, signedUp.size);
  }
  await actUntil(scenario.end.getTime());
  return { cronSlots: fired, signedUp: signedUp.size };
}

async function moveClock(deps: TickLoopDeps, to: Date): Promise<void> {
  deps.clock.set(to);
  await deps.worker.setTime(to);
}

/** A drain, with --chaos a worker killed at a random moment of it and faults armed for its requests. */
async function settle(deps: TickLoopDeps): Promise<void> {
  const drainDeps = { db: deps.db, clock: deps.clock, logger: deps.logger, emulator: deps.emulator, timeoutMs: deps.drainTimeoutMs };
  const { chaos, worker } = deps;
  if (!chaos || !isChildWorker(worker)) return drain(drainDeps);
  chaos.armFaults(deps.emulator);
  const delay = chaos.killDelayMs();
  if (delay === undefined) return drain(drainDeps);
  let killing: Promise<void> | undefined;
  const timer = setTimeout(() => (killing = worker.killAndRestart()), delay);
  await drain(drainDeps);
  clearTimeout(timer);
  await (killing ?? worker.killAndRestart());
  await drain(drainDeps);
}
