import { createLogger } from "@paycron/core";
import { createDb } from "@paycron/db";
import { loadWebhookConfig } from "./config.ts";
import { startWebhookServer } from "./server.ts";

/** `pnpm --filter @paycron/webhooks start`: the webhook app alone, against DATABASE_URL. */
const logger = createLogger({ name: "webhooks", level: process.env.LOG_LEVEL });
try {
  const config = loadWebhookConfig(process.env);
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("DATABASE_URL is required to run the webhook app alone (pnpm dev provides its own)");
  const db = createDb({ connectionString: databaseUrl, applicationName: "paycron-webhooks", onError: (e) => logger.warn({ err: e.message }, "database connection error") });
  const server = await startWebhookServer({ db, config, logger });
  const stop = async () => {
    await server.close();
    await db.destroy();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
} catch (error) {
  logger.fatal({ err: (error as Error).message }, "webhook server did not start");
  process.exitCode = 1;
}
