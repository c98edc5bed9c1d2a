import { ConfigError, type Clock, type Logger } from "@paycron/core";
import type { Db } from "@paycron/db";
import type { AppLinks, EmailTransport } from "@paycron/email/transport";
import type { Storage } from "@paycron/storage";
import type { Stripe } from "@paycron/stripe";
import type { TaskEngine } from "./engine/types.ts";

/**
 * Clients of the outside world a task may need. Each has a production implementation (built from
 * the deployed worker's environment) and a local one (the emulators and local stand-ins that
 * `pnpm dev` and the tests start). Built lazily, once per worker: a task that never charges never
 * builds a Stripe client, and a worker missing a provider fails only the tasks that need it.
 */
export interface TaskProviders {
  stripe: Stripe;
  /** Private documents (invoice and receipt PDFs): Supabase Storage, or files under the data dir. */
  storage: Storage;
  /** Resend, or the local outbox under the data dir. */
  email: EmailTransport;
  /** The app pages emails link to (APP_URL). */
  links: AppLinks;
}

export type ProviderFactories = { [K in keyof TaskProviders]: () => TaskProviders[K] };

const PROVIDERS = ["stripe", "storage", "email", "links"] as const satisfies ReadonlyArray<keyof TaskProviders>;

/** What a task's run needs from the outside world. */
export interface TaskDeps extends TaskProviders {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** Where the runs this task enqueues are dispatched (the run hands them over itself after commit). */
  engine: TaskEngine;
}

export type TaskDepsBase = Omit<TaskDeps, keyof TaskProviders>;

export function createTaskDeps(base: TaskDepsBase, providers: Partial<ProviderFactories>): TaskDeps {
  const deps = { ...base } as TaskDeps;
  for (const name of PROVIDERS) {
    let built: TaskProviders[typeof name] | undefined;
    Object.defineProperty(deps, name, {
      enumerable: true,
      get() {
        const factory = providers[name];
        if (!factory) throw new ConfigError(`this worker has no ${name} provider configured (see .env.example)`);
        return (built ??= factory());
      },
    });
  }
  return deps;
}

let installed: TaskDeps | undefined;

/** The local engine and tests install theirs; a deployed worker builds its own on first use. */
export function installTaskDeps(deps: TaskDeps): void {
  installed = deps;
}

export function clearTaskDeps(): void {
  installed = undefined;
}

/**
 * The deps of this process: those installed by the local engine or a test, else (on a worker
 * deployed to Trigger.dev) built from the environment on first use. Loaded lazily so that a
 * process that only lists or enqueues tasks never loads the production clients.
 */
export async function loadTaskDeps(): Promise<TaskDeps> {
  if (installed) return installed;
  const { taskDepsFromEnvironment } = await import("./worker-deps.ts");
  return (installed ??= taskDepsFromEnvironment());
}
