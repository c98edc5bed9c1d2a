import { z } from "zod";
import { type Clock, type Logger, parseEnv } from "@paycron/core";
import { createDb } from "@paycron/db";
import { createEngine } from "@paycron/local-engine";
import { engineEnvShape, engineSettings, startDispatcher, type EngineSettings } from "@paycron/runtime";
import { loadWebhookConfig, type WebhookConfig } from "./config.ts";
import { startWebhookServer } from "./server.ts";

const serviceEnv = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: "set DATABASE_URL (postgres://…): the database the webhook app stores events in" }),
  ...engineEnvShape,
  OUTBOX_POLL_INTERVAL_MS: z.coerce.number().int().min(50).max(3_600_000).default(1_000),
});

export interface WebhookServiceConfig {
  databaseUrl: string;
  engine: EngineSettings;
  /** The dispatcher's polling backup for a lost NOTIFY; the LISTEN is what makes dispatch prompt. */
  outboxPollIntervalMs: number;
  webhooks: WebhookConfig;
}

/** The deployed webhook app's whole configuration, parsed once at start; each problem names its variable. */
export function loadWebhookServiceConfig(env: Record<string, string | undefined>): WebhookServiceConfig {
  const e = parseEnv(serviceEnv, env, "webhook app");
  return { databaseUrl: e.DATABASE_URL, engine: engineSettings(e), outboxPollIntervalMs: e.OUTBOX_POLL_INTERVAL_MS, webhooks: loadWebhookConfig(env) };
}

export interface WebhookService {
  url: string;
  stop(): Promise<void>;
}

/**
 * The webhook app as deployed: the HTTP edge plus the outbox dispatcher, so that a stored event
 * reaches the engine (Trigger.dev in production) as soon as it commits, not at the next
 * outbox-sweep a minute later. Stops in reverse order: no new events, then the dispatcher, then the pool.
 */
export async function startWebhookService(
  config: WebhookServiceConfig,
  deps: { clock: Clock; logger: Logger },
  listen: { port?: number; hostname?: string } = {},
): Promise<WebhookService> {
  const db = createDb({
    connectionString: config.databaseUrl,
    applicationName: "paycron-webhooks",
    onError: (e) => deps.logger.warn({ err: e.message }, "database connection error"),
  });
  const dispatcher = startDispatcher({
    db,
    clock: deps.clock,
    logger: deps.logger.child({ component: "dispatcher" }),
    connectionString: config.databaseUrl,
    engine: createEngine(config.engine),
    pollIntervalMs: config.outboxPollIntervalMs,
  });
  try {
    const server = await startWebhookServer({ db, config: config.webhooks, logger: deps.logger, ...listen });
    return {
      url: server.url,
      async stop() {
        await server.close();
        await dispatcher.stop();
        await db.destroy();
      },
    };
  } catch (error) {
    await dispatcher.stop();
    await db.destroy();
    throw error;
  }
}
