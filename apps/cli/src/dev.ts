import { resolve } from "node:path";
import { createLogger, systemClock, type Logger } from "@paycron/core";
import { migrate } from "@paycron/db";
import { startDispatcher } from "@paycron/runtime";
import { createEngine, startLocalRuntime } from "@paycron/local-engine";
import { startWebhookServer } from "@paycron/webhooks";
import { openDatabase } from "./database.ts";
import { devWebhookConfig } from "./dev-secrets.ts";
import { startLocalSupabaseWebhooks } from "./local-supabase/relay.ts";
import type { CliEnv } from "./env.ts";
import { seedDemo } from "./seed.ts";

export interface DevOptions {
  seed: boolean;
}

type Stop = () => Promise<void>;

/**
 * `pnpm dev`: the whole worker in one process tree. Start order is the dependency order; stop
 * order is its reverse, so the webhook app stops accepting before the worker drains and the
 * database goes last.
 */
export async function runDev(env: CliEnv, options: DevOptions): Promise<void> {
  const logger = createLogger({ name: "paycron-dev", level: env.LOG_LEVEL });
  const stops: { name: string; stop: Stop }[] = [];
  const started = performance.now();

  // A signal during start-up waits for start-up to finish, then stops in order: stopping
  // half-started components underneath the start-up code would fail it and exit non-zero.
  let startup: Promise<void> = Promise.resolve();
  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) {
      logger.warn({ signal }, "second signal: exiting without waiting");
      process.exit(130);
    }
    shuttingDown = true;
    logger.info({ signal }, "shutting down");
    await startup.catch(() => {});
    await stopAll(stops, logger);
    logger.info("stopped");
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));

  startup = start();
  await startup;

  async function start(): Promise<void> {
    try {
      const database = await openDatabase(env);
      stops.unshift({ name: "database", stop: database.close });
      logger.info({ database: database.embedded ? `embedded (${database.embedded.dataDir})` : "DATABASE_URL" }, "database ready");

      const applied = await migrate(database.db);
      if (applied.length) logger.info({ migrations: applied.map((m) => m.name) }, "migrations applied");
      if (options.seed) {
        const seeded = await seedDemo(database.db, systemClock);
        logger.info({ created: seeded.created }, seeded.created ? "demo data seeded" : "demo data already present");
      }

      const config = devWebhookConfig(resolve(env.PAYCRON_DATA_DIR));

      // With PAYCRON_ENGINE=trigger the runs (and crons) happen on Trigger.dev: only the dispatcher runs here.
      const runtime =
        env.engine.kind === "trigger"
          ? startDispatcher({ db: database.db, clock: systemClock, logger, connectionString: database.url, engine: createEngine(env.engine) })
          : await startLocalRuntime({ connectionString: database.url, db: database.db, clock: systemClock, logger });
      stops.unshift({ name: `runtime (${env.engine.kind})`, stop: runtime.stop });

      const server = await startWebhookServer({ db: database.db, config, logger, port: env.PORT, hostname: "127.0.0.1" });
      stops.unshift({ name: "webhooks", stop: server.close });

      const relay = await startLocalSupabaseWebhooks({
        db: database.db,
        connectionString: database.url,
        url: `${server.url}/webhooks/supabase`,
        secret: config.supabaseWebhookSecret,
        logger,
      });
      stops.unshift({ name: "supabase relay", stop: relay.stop });

      logger.info({ url: server.url, ms: Math.round(performance.now() - started) }, "paycron dev is up");
      console.log(`\n  Paycron dev: ${server.url}  (GET /healthz, POST /webhooks/stripe, POST /webhooks/supabase)\n  Ctrl-C to stop.\n`);
    } catch (error) {
      logger.error({ err: error }, "start-up failed");
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
