import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createLogger, logOutputFromEnv, systemClock, type Logger } from "@paycron/core";
import { migrate } from "@paycron/db";
import { processIdentity } from "@paycron/db/embedded";
import { LocalStorage } from "@paycron/storage";
import { startDispatcher } from "@paycron/runtime";
import { loadTaskCatalog } from "@paycron/runtime/catalog";
import { createEngine, startLocalRuntime } from "@paycron/local-engine";
import { startWebhookServer } from "@paycron/webhooks";
import type { StripeEmulator } from "@paycron/stripe-emulator";
import { openOwnDatabase } from "./database.ts";
import { bannerTasks, formatDevBanner } from "./dev-banner.ts";
import { devSecrets, devWebhookConfig } from "./dev-secrets.ts";
import { readDevState, removeDevState, writeDevState, type DevState } from "./dev-state.ts";
import { documentStorage, localProviders, startLocalStripeEmulator } from "./local-providers.ts";
import { startLocalSupabaseWebhooks } from "./local-supabase/relay.ts";
import type { CliEnv } from "./env.ts";
import { seedDemo } from "./seed.ts";

export interface DevOptions {
  seed: boolean;
}

type Stop = () => Promise<void>;

/*
 * Under `pnpm dev` one Ctrl-C arrives twice: the terminal signals the whole foreground process
 * group, and pnpm, our parent, forwards its own copy. So the first repeat from a pnpm parent, and
 * any repeat this close to the first signal, are that same Ctrl-C; only a later one means "stop
 * waiting".
 */
const SAME_INTERRUPTION_MS = 1_000;

function parentIsPnpm(): boolean {
  try {
    return readFileSync(`/proc/${process.ppid}/comm`, "utf8").trim() === "pnpm";
  } catch {
    return false;
  }
}

/**
 * `pnpm dev`: the whole worker in one process tree. Start order is the dependency order; stop
 * order is its reverse, so the webhook app stops accepting before the worker drains and the
 * database goes last. The embedded database runs detached, so a Ctrl-C reaches this process
 * only and Postgres is stopped by us, last, not by the terminal while work is still draining.
 */
export async function runDev(env: CliEnv, options: DevOptions): Promise<void> {
  const logger = createLogger({ name: "paycron-dev", level: env.LOG_LEVEL, ...logOutputFromEnv(process.env, process.stdout) });
  const dataDir = resolve(env.PAYCRON_DATA_DIR);
  const stops: { name: string; stop: Stop }[] = [];
  const started = performance.now();

  const other = readDevState(dataDir);
  if (other) {
    throw new Error(
      `pnpm dev is already running on ${dataDir} (pid ${other.pid}${other.webhookUrl ? `, ${other.webhookUrl}` : ""}): ` +
        "use that one (the CLI finds it by itself), stop it first, or give this one another PAYCRON_DATA_DIR",
    );
  }

  // A signal during start-up waits for start-up to finish, then stops in order: stopping
  // half-started components underneath the start-up code would fail it and exit non-zero.
  let startup: Promise<void> = Promise.resolve();
  let firstSignalAt: number | undefined;
  let forwardedCopyDue = parentIsPnpm();
  const shutdown = async (signal: string) => {
    if (firstSignalAt !== undefined) {
      if (forwardedCopyDue || performance.now() - firstSignalAt < SAME_INTERRUPTION_MS) {
        forwardedCopyDue = false;
        return;
      }
      logger.warn({ signal }, "second signal: exiting without waiting");
      process.exit(130);
    }
    firstSignalAt = performance.now();
    logger.info({ signal }, "shutting down");
    // First, so that no new CLI command connects to a database about to go away.
    removeDevState(dataDir);
    await startup.catch(() => {});
    await stopAll(stops, logger);
    logger.info("stopped");
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("exit", () => removeDevState(dataDir));

  startup = start();
  await startup;

  async function start(): Promise<void> {
    try {
      const database = await openOwnDatabase(env, { detached: true });
      stops.unshift({ name: "database", stop: database.close });
      const state: DevState = { ...processIdentity(), startedAt: systemClock.now().toISOString(), databaseUrl: database.url };
      // As soon as the database is up, so that a CLI command run meanwhile uses it rather than fail on its lock.
      writeDevState(dataDir, state);
      logger.info({ database: database.source }, "database ready");

      const applied = await migrate(database.db);
      if (applied.length) logger.info({ migrations: applied.map((m) => m.name) }, "migrations applied");
      if (options.seed) {
        const seeded = await seedDemo(database.db, systemClock);
        logger.info({ created: seeded.created }, seeded.created ? "demo data seeded" : "demo data already present");
      }

      const config = devWebhookConfig(dataDir);
      // Documents and emails: the webhook app serves local documents' signed URLs, and stands in
      // for APP_URL in emails, at an address known once it listens.
      let serverUrl = `http://127.0.0.1:${env.PORT}`;
      const documents = {
        dataDir,
        signingSecret: env.STORAGE_SIGNING_SECRET ?? devSecrets(dataDir).storageSigningSecret,
        publicBaseUrl: () => serverUrl,
        logger,
      };
      const storage = documentStorage(env, documents);

      // Stripe for the tasks: the real one with STRIPE_SECRET_KEY, the emulator at STRIPE_API_URL,
      // else an emulator of our own, started below once the webhook app it posts to is up.
      let emulator: StripeEmulator | undefined;
      const ownEmulator = !env.STRIPE_SECRET_KEY && !env.STRIPE_API_URL;
      const providers = localProviders(env, {
        ...(ownEmulator ? { stripeApiUrl: () => emulator?.url } : {}),
        db: database.db,
        logger,
        documents: { ...documents, storage },
      });

      // With PAYCRON_ENGINE=trigger the runs (and crons) happen on Trigger.dev: only the dispatcher runs here.
      const runtime =
        env.engine.kind === "trigger"
          ? startDispatcher({ db: database.db, clock: systemClock, logger, connectionString: database.url, engine: createEngine(env.engine) })
          : await startLocalRuntime({ connectionString: database.url, db: database.db, clock: systemClock, logger, providers });
      stops.unshift({ name: `runtime (${env.engine.kind})`, stop: runtime.stop });

      const server = await startWebhookServer({
        db: database.db,
        config,
        logger,
        port: env.PORT,
        hostname: "127.0.0.1",
        ...(storage instanceof LocalStorage ? { localFiles: storage } : {}),
        // The local dashboard at /dashboard (behind DASHBOARD_TOKEN when set), its invoices' documents signed here.
        dashboard: { documents: storage },
      });
      serverUrl = server.url;
      stops.unshift({ name: "webhooks", stop: server.close });

      if (ownEmulator) {
        // Its webhooks are signed with the first secret the app verifies with, as `stripe listen`'s would be.
        emulator = await startLocalStripeEmulator({
          port: env.STRIPE_EMULATOR_PORT,
          webhook: { url: `${server.url}/webhooks/stripe`, secret: config.stripeWebhookSecrets[0]! },
          logger,
        });
        stops.unshift({ name: "stripe emulator", stop: emulator.stop });
      }
      const stripeApiUrl = emulator?.url ?? (env.STRIPE_SECRET_KEY ? undefined : env.STRIPE_API_URL);

      const relay = await startLocalSupabaseWebhooks({
        db: database.db,
        connectionString: database.url,
        url: `${server.url}/webhooks/supabase`,
        secret: config.supabaseWebhookSecret,
        logger,
      });
      stops.unshift({ name: "supabase relay", stop: relay.stop });

      writeDevState(dataDir, {
        ...state,
        webhookUrl: server.url,
        ...(stripeApiUrl ? { stripeApiUrl } : {}),
        webhookSecrets: { stripe: config.stripeWebhookSecrets, supabase: config.supabaseWebhookSecret },
      });
      const startupMs = Math.round(performance.now() - started);
      logger.info({ url: server.url, ms: startupMs }, "paycron dev is up");

      const generated = devSecrets(dataDir);
      const now = systemClock.now();
      console.log(
        formatDevBanner(
          {
            webhookUrl: server.url,
            dashboardUrl: `${server.url}/dashboard`,
            database: { url: database.url, source: database.source, embedded: database.embedded !== undefined },
            engine: env.engine.kind,
            stripe: env.STRIPE_SECRET_KEY
              ? { kind: "stripe", secretKey: env.STRIPE_SECRET_KEY }
              : { kind: emulator ? "emulator" : "url", url: stripeApiUrl! },
            secrets: {
              stripe: config.stripeWebhookSecrets.map((value) => ({ value, dev: value === generated.stripeWebhookSecret })),
              supabase: { value: config.supabaseWebhookSecret, dev: config.supabaseWebhookSecret === generated.supabaseWebhookSecret },
            },
            tasks: bannerTasks(await loadTaskCatalog(), now),
            startupMs,
            documents: {
              storage: env.SUPABASE_URL ? `Supabase Storage at ${env.SUPABASE_URL}` : `${join(dataDir, "storage")} (private; served signed at /files)`,
              emails: env.RESEND_API_KEY ? "sent through Resend (RESEND_API_KEY)" : `${join(dataDir, "emails")} (local outbox: .eml and .html; RESEND_API_KEY sends)`,
            },
          },
          now,
        ),
      );
    } catch (error) {
      logger.error({ err: error }, "start-up failed");
      removeDevState(dataDir);
      await stopAll(stops, logger);
      throw error;
    }
  }
}

async function stopAll(stops: { name: string; stop: Stop }[], logger: Logger): Promise<void> {
  for (const { name, stop } of stops.splice(0)) {
    try {
      await stop();
      logger.info({ component: name }, "stopped");
    } catch (error) {
      logger.error({ component: name, err: error }, "stop failed");
    }
  }
}
