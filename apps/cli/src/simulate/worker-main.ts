import { silentLogger, TestClock } from "@paycron/core";
import { createDb } from "@paycron/db";
import { startLocalRuntime } from "@paycron/local-engine";
import { createLocalStripeClient } from "@paycron/stripe";
import { fileDocumentProviders } from "../local-providers.ts";
import { SIMULATION_APP_URL } from "./worker.ts";
import type { WorkerMessage } from "./worker-protocol.ts";

/*
 * The simulation's worker as a process of its own (--chaos SIGKILLs it): the local engine against
 * the simulation's database, with a clock the parent moves over IPC. Short run leases, so a run
 * whose worker was killed is retried within seconds of real time.
 */
const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`simulation worker: ${name} is not set`);
  return value;
};
const connectionString = env("SIMULATE_DATABASE_URL");
const clock = new TestClock(env("SIMULATE_NOW"));
const stripe = createLocalStripeClient(env("SIMULATE_STRIPE_API_URL"));
const db = createDb({ connectionString, applicationName: "paycron-simulate-worker", max: 20 });
const send = (message: WorkerMessage) => process.send!(message);

const runtime = await startLocalRuntime({
  db,
  connectionString,
  clock,
  logger: silentLogger(),
  providers: {
    stripe: () => stripe,
    ...fileDocumentProviders({ dataDir: env("SIMULATE_DATA_DIR"), clock, logger: silentLogger(), appUrl: SIMULATION_APP_URL }).providers,
  },
  crons: false,
  leaseMs: 2_000,
  pollIntervalMs: 200,
});

process.on("message", (message: WorkerMessage) => {
  if (message.type === "set-time") {
    clock.set(message.at);
    send({ type: "time-set", at: message.at });
  } else if (message.type === "stop") {
    void runtime
      .stop()
      .then(() => db.destroy())
      .finally(() => process.exit(0));
  }
});
// Orphaned (the parent died): nothing to simulate any more.
process.on("disconnect", () => process.exit(0));
send({ type: "ready" });
