import { createLogger, logOutputFromEnv, systemClock } from "@paycron/core";
import { loadWebhookServiceConfig, startWebhookService } from "./service.ts";

/** `pnpm --filter @paycron/webhooks start`: the deployed webhook app (edge + outbox dispatcher). */
let logger = createLogger({ name: "webhooks", level: process.env.LOG_LEVEL || undefined });
try {
  logger = createLogger({ name: "webhooks", level: process.env.LOG_LEVEL || undefined, ...logOutputFromEnv(process.env, process.stdout) });
  const service = await startWebhookService(loadWebhookServiceConfig(process.env), { clock: systemClock, logger });
  const stop = async () => {
    await service.stop();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
} catch (error) {
  logger.fatal({ err: (error as Error).message }, "webhook app did not start");
  process.exitCode = 1;
}
