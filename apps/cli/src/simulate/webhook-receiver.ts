import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Clock, Logger } from "@paycron/core";
import type { Db } from "@paycron/db";
import { createApp, loadWebhookConfig } from "@paycron/webhooks";

export interface WebhookReceiver {
  /** Where the emulator POSTs its events. */
  stripeUrl: string;
  stripeSecret: string;
  close(): Promise<void>;
}

/**
 * The real webhook app (verify, inbox, outbox in one transaction) on a free local port, reading
 * the simulation's clock: the emulator signs with simulated time, and the app checks the
 * signature's age and stamps received_at with the same time.
 */
export async function startWebhookReceiver(deps: { db: Db; clock: Clock; logger: Logger }): Promise<WebhookReceiver> {
  const stripeSecret = "whsec_paycron_simulate_local_only";
  const config = loadWebhookConfig({ STRIPE_WEBHOOK_SECRETS: stripeSecret, SUPABASE_WEBHOOK_SECRET: "paycron-simulate-local-only" });
  const app = createApp({ db: deps.db, config, logger: deps.logger, clock: deps.clock });
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve, reject) => {
    if (server.listening) return resolve();
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    stripeUrl: `http://127.0.0.1:${port}/webhooks/stripe`,
    stripeSecret,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
