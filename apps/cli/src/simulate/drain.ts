import { setTimeout as sleep } from "node:timers/promises";
import { sql } from "kysely";
import type { Clock, Logger } from "@paycron/core";
import type { Db } from "@paycron/db";
import { localEngine } from "@paycron/local-engine";
import { dispatchDue } from "@paycron/runtime";
import type { StripeEmulator } from "@paycron/stripe-emulator";

export interface DrainDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  emulator: StripeEmulator;
  /** Real time a drain may take before the simulation gives up (a stuck run, a lost worker). */
  timeoutMs: number;
}

interface Pending {
  /** Outbox rows due by the simulated clock and not handed to the engine yet. */
  due: number;
  /** Runs queued, executing or waiting for a retry (retries wait real time). */
  active: number;
}

/**
 * Lets everything the current simulated moment set off happen: dispatches due outbox rows, waits
 * for the engine to finish every run, then for the emulator's webhooks those runs caused, and
 * again for the runs the webhooks enqueued, until nothing is left. Only then may the clock move.
 */
export async function drain(deps: DrainDeps): Promise<void> {
  const deadline = performance.now() + deps.timeoutMs;
  for (;;) {
    await untilQuiet(deps, deadline);
    await deps.emulator.webhooksIdle();
    // Quiet and the webhooks delivered: a delivery stores its event and outbox row before it is
    // answered, so anything it set off shows up in this check.
    const pending = await pendingWork(deps.db, deps.clock.now());
    if (pending.due === 0 && pending.active === 0) return;
  }
}

async function untilQuiet(deps: DrainDeps, deadline: number): Promise<void> {
  for (let polls = 0; ; polls++) {
    const pending = await pendingWork(deps.db, deps.clock.now());
    if (pending.due === 0 && pending.active === 0) return;
    // Rows enqueued with a delay that the clock has now reached get no NOTIFY: dispatch them here.
    if (pending.due > 0 && polls % 4 === 0) await dispatchDue({ db: deps.db, clock: deps.clock, logger: deps.logger, engine: localEngine() });
    if (performance.now() > deadline) {
      throw new Error(
        `simulation stalled at ${deps.clock.now().toISOString()}: ${pending.due} outbox rows undispatched and ${pending.active} runs unfinished after ${Math.round(deps.timeoutMs / 1000)} s`,
      );
    }
    await sleep(polls < 20 ? 1 : 10);
  }
}

async function pendingWork(db: Db, now: Date): Promise<Pending> {
  const { rows } = await sql<Pending>`
    select (select count(*)::int from task_outbox where dispatched_at is null and available_at <= ${now}) as due,
           (select count(*)::int from task_runs where status in ('queued', 'executing', 'retrying')) as active`.execute(db);
  return rows[0]!;
}
