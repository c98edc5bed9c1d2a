import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentLogger, TestClock, type Logger } from "@paycron/core";
import { checkInvariants } from "@paycron/billing";
import { loadTaskCatalog } from "@paycron/runtime/catalog";
import { createLocalStripeClient } from "@paycron/stripe";
import { startStripeEmulator } from "@paycron/stripe-emulator";
import { createChaos } from "./chaos.ts";
import type { SimulationOptions } from "./options.ts";
import { createSimulatedOrganization } from "./organization.ts";
import { createProgress } from "./progress.ts";
import { collectFigures, type SimulationReport } from "./report.ts";
import { generateScenario } from "./scenario.ts";
import { openSimulationDatabase } from "./simulation-database.ts";
import { runTicks } from "./tick-loop.ts";
import { startWebhookReceiver } from "./webhook-receiver.ts";
import { isChildWorker, startChildWorker, startInProcessWorker, type ChildWorker, type SimulationWorker } from "./worker.ts";

/**
 * Every simulation starts here: a fixed date, so the same seed gives the same report. In the past,
 * and far enough that 120 simulated months end before today: the engine stamps task runs with
 * the database's time (finished_at) while retention cuts by the simulated clock, so a simulated
 * clock ahead of the database's would have daily-cron prune every finished run at once.
 */
export const SIMULATION_START = new Date("2015-01-01T00:00:00Z");

export interface RunSimulationHooks {
  logger?: Logger;
  /** The progress line's stream; none for quiet runs (tests). */
  progress?: NodeJS.WriteStream | null;
  /** Real time one drain may take before the run is declared stalled. */
  drainTimeoutMs?: number;
}

/**
 * `paycron simulate`: a population of customers billed for months of simulated time by the real
 * tasks on the local engine, against the Stripe emulator through the real SDK and the real
 * webhook app, then every invariant of DESIGN.md checked. See docs/simulate.md.
 */
export async function runSimulation(options: SimulationOptions, hooks: RunSimulationHooks = {}): Promise<SimulationReport> {
  const wallStart = performance.now();
  const logger = hooks.logger ?? silentLogger();
  const scenario = generateScenario({ ...options, start: SIMULATION_START });
  const clock = new TestClock(SIMULATION_START);
  const database = await openSimulationDatabase(options.databaseUrl);
  const stops: Array<() => Promise<void>> = [database.close];
  const progress = hooks.progress === null ? undefined : createProgress(hooks.progress ?? process.stderr);
  try {
    const { db } = database;
    const receiver = await startWebhookReceiver({ db, clock, logger });
    stops.unshift(receiver.close);
    const emulator = await startStripeEmulator({
      clock,
      port: 0,
      host: "127.0.0.1",
      // Retries stay short in real time: a drain waits for every delivery to end.
      webhook: { url: receiver.stripeUrl, secret: receiver.stripeSecret, retryDelaysMs: [50, 100, 200, 400, 800, 1_600] },
      idSeed: `sim${options.seed}x`,
      logger,
    });
    stops.unshift(emulator.stop);
    const organization = await createSimulatedOrganization(db, { seed: options.seed, now: clock.now() });
    const dataDir = await mkdtemp(join(tmpdir(), "paycron-simulate-"));
    stops.push(() => rm(dataDir, { recursive: true, force: true }));
    const workerOptions = { db, connectionString: database.url, clock, logger, stripeApiUrl: emulator.url, dataDir };
    const worker: SimulationWorker | ChildWorker = options.chaos ? await startChildWorker(workerOptions) : await startInProcessWorker(workerOptions);
    stops.unshift(worker.stop);
    const hours = Math.round((scenario.end.getTime() - scenario.start.getTime()) / 3_600_000);
    // Drains: one per cron slot (about one an hour) and one per moment a customer acts (usage reports excepted).
    const drains = hours + scenario.actions.filter((a) => a.kind !== "usage").length;
    const chaos = options.chaos ? createChaos(options.seed, drains) : undefined;
    if (chaos) emulator.faults.latency(1);

    const days = Math.ceil(hours / 24);
    const ticks = await runTicks(
      {
        db,
        clock,
        logger,
        emulator,
        worker,
        catalog: await loadTaskCatalog(),
        actions: { db, clock, logger, stripe: createLocalStripeClient(emulator.url), organization, seed: options.seed, customers: scenario.customers },
        chaos,
        drainTimeoutMs: hooks.drainTimeoutMs ?? 120_000,
        onDay: (day, signedUp) =>
          progress?.update(
            `simulate: day ${day}/${days} (${clock.now().toISOString().slice(0, 10)}) · ${signedUp}/${options.customers} customers signed up · ${((performance.now() - wallStart) / 1000).toFixed(0)} s`,
            day,
          ),
      },
      scenario,
    );
    progress?.done();
    emulator.faults.clear();

    const invariants = await checkInvariants(db, { now: clock.now() });
    const figures = await collectFigures(db, organization.organizationId);
    const report: SimulationReport = {
      seed: options.seed,
      customers: options.customers,
      months: options.months,
      declineRate: options.declineRate,
      simulated: { from: scenario.start.toISOString(), to: scenario.end.toISOString(), cronSlots: ticks.cronSlots },
      ...figures,
      invariants,
      wallTimeMs: 0,
    };
    if (chaos && isChildWorker(worker)) {
      const emulatorChargesSucceeded = emulator.chargesSucceeded();
      const faults = emulator.requests().map((r) => r.fault);
      report.chaos = {
        workerKills: worker.restarts,
        failedRequests: faults.filter((f) => f === "error").length,
        droppedAfterCharge: faults.filter((f) => f === "drop").length,
        emulatorChargesSucceeded,
        paymentsSucceeded: figures.payments.succeeded,
        ok: emulatorChargesSucceeded === figures.payments.succeeded,
      };
    }
    report.wallTimeMs = Math.round(performance.now() - wallStart);
    return report;
  } finally {
    progress?.done();
    for (const stop of stops) {
      try {
        await stop();
      } catch (error) {
        logger.warn({ err: error }, "simulation clean-up failed");
      }
    }
  }
}
