import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Logger, TestClock } from "@paycron/core";
import type { Db } from "@paycron/db";
import { startLocalRuntime, type LocalRuntime } from "@paycron/local-engine";
import { createLocalStripeClient } from "@paycron/stripe";
import { fileDocumentProviders } from "../local-providers.ts";
import type { WorkerMessage } from "./worker-protocol.ts";

/** The local engine that executes the simulation's runs, on the simulation's clock. */
export interface SimulationWorker {
  /** Resolves once the worker's clock reads `now` (the parent's clock is already there). */
  setTime(now: Date): Promise<void>;
  stop(): Promise<void>;
}

export interface WorkerOptions {
  db: Db;
  connectionString: string;
  clock: TestClock;
  logger: Logger;
  stripeApiUrl: string;
  /** Where the simulation's documents and emails are written (never Resend or Supabase). */
  dataDir: string;
}

/** The simulated SaaS whose pages the simulation's emails link to. */
export const SIMULATION_APP_URL = "https://app.paycron.localhost";

/**
 * The engine in this process, sharing the parent's TestClock: the dispatcher (LISTEN-driven) and
 * the graphile runner; no cron timer, the tick loop fires each slot itself.
 */
export async function startInProcessWorker(options: WorkerOptions): Promise<SimulationWorker> {
  const stripe = createLocalStripeClient(options.stripeApiUrl);
  const runtime: LocalRuntime = await startLocalRuntime({
    db: options.db,
    connectionString: options.connectionString,
    clock: options.clock,
    logger: options.logger,
    providers: { stripe: () => stripe, ...fileDocumentProviders({ dataDir: options.dataDir, clock: options.clock, logger: options.logger, appUrl: SIMULATION_APP_URL }).providers },
    crons: false,
  });
  return { setTime: async () => {}, stop: () => runtime.stop() };
}

/** A worker in a child process, which chaos SIGKILLs: its clock follows the parent's over IPC. */
export interface ChildWorker extends SimulationWorker {
  /** SIGKILL, then a fresh child on the same database at the same simulated time. */
  killAndRestart(): Promise<void>;
  readonly restarts: number;
}

export function isChildWorker(worker: SimulationWorker): worker is ChildWorker {
  return "killAndRestart" in worker;
}

const WORKER_MAIN = fileURLToPath(new URL("./worker-main.ts", import.meta.url));

export async function startChildWorker(options: WorkerOptions): Promise<ChildWorker> {
  let child = await spawnWorker(options);
  let restarts = 0;
  return {
    get restarts() {
      return restarts;
    },
    setTime: (now) => tellTime(child, now),
    async killAndRestart() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
      restarts += 1;
      child = await spawnWorker(options);
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.send({ type: "stop" } satisfies WorkerMessage);
      await exited;
    },
  };
}

async function spawnWorker(options: WorkerOptions): Promise<ChildProcess> {
  const child = fork(WORKER_MAIN, [], {
    execArgv: ["--import", import.meta.resolve("tsx")],
    env: {
      ...process.env,
      SIMULATE_DATABASE_URL: options.connectionString,
      SIMULATE_STRIPE_API_URL: options.stripeApiUrl,
      SIMULATE_DATA_DIR: options.dataDir,
      SIMULATE_NOW: options.clock.now().toISOString(),
    },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  await new Promise<void>((resolve, reject) => {
    const onMessage = (message: WorkerMessage) => {
      if (message.type !== "ready") return;
      child.off("message", onMessage);
      child.off("exit", onExit);
      resolve();
    };
    const onExit = (code: number | null) => reject(new Error(`the simulation worker exited during start-up (code ${code})`));
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
  return child;
}

function tellTime(child: ChildProcess, now: Date): Promise<void> {
  const at = now.toISOString();
  return new Promise<void>((resolve, reject) => {
    const onMessage = (message: WorkerMessage) => {
      if (message.type !== "time-set" || message.at !== at) return;
      child.off("message", onMessage);
      child.off("exit", onExit);
      resolve();
    };
    const onExit = () => reject(new Error("the simulation worker died while its clock was being set"));
    child.on("message", onMessage);
    child.once("exit", onExit);
    child.send({ type: "set-time", at } satisfies WorkerMessage);
  });
}
