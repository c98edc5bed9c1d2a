import type { Logger, TestClock } from "@paycron/core";
import type { Db } from "@paycron/db";
import { fireDueCrons } from "@paycron/local-engine";
import type { TaskCatalog } from "@paycron/runtime/catalog";
import type { StripeEmulator } from "@paycron/stripe-emulator";
import { performAction, recordUsage, type ActionDeps, type SignedUp } from "./actions.ts";
import type { Chaos } from "./chaos.ts";
import { drain } from "./drain.ts";
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
  /** Cron slots fired: one per simulated hour. */
  hours: number;
  signedUp: number;
}

/**
 * Moves the clock hour by hour from the scenario's start to its end. Each hour: the clock is set
 * to the slot, the emulator settles the bank debits now due, every cron whose slot it is fires
 * (hourly-cron each hour, daily-cron at midnight UTC), and everything they set off is drained.
 * Then the customers' actions of that hour happen at their own minutes, each drained before the
 * next. No hour is skipped: a cron slot per simulated hour is the point.
 */
export async function runTicks(deps: TickLoopDeps, scenario: Scenario): Promise<TickLoopResult> {
  const signedUp = new Map<number, SignedUp>();
  const { clock } = deps;
  await moveClock(deps, scenario.start);
  // A schedule seen for the first time starts from now: this records every cron's first slot.
  await fireDueCrons({ db: deps.db, clock, logger: deps.logger, catalog: deps.catalog });

  let next = 0;
  let hours = 0;
  const actions = scenario.actions;
  for (let slot = scenario.start.getTime(); slot <= scenario.end.getTime(); slot += HOUR_MS) {
    if (slot > scenario.start.getTime()) {
      await moveClock(deps, new Date(slot));
      deps.emulator.settle();
      await fireDueCrons({ db: deps.db, clock, logger: deps.logger, catalog: deps.catalog });
      await settle(deps);
      hours += 1;
    }
    // This hour's actions, grouped by the moment they happen.
    while (next < actions.length && actions[next]!.at.getTime() < slot + HOUR_MS) {
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
    if ((slot - scenario.start.getTime()) % (24 * HOUR_MS) === 0) deps.onDay?.((slot - scenario.start.getTime()) / (24 * HOUR_MS), signedUp.size);
  }
  return { hours, signedUp: signedUp.size };
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
  let killing: Promise<void> | undefined;
  const timer = delay === undefined ? undefined : setTimeout(() => (killing = worker.killAndRestart()), delay);
  await drain(drainDeps);
  clearTimeout(timer);
  if (killing) {
    await killing;
    await drain(drainDeps);
  }
}
