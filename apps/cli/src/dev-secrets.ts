import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadWebhookConfig, type WebhookConfig } from "@paycron/webhooks";

export interface DevSecrets {
  stripeWebhookSecret: string;
  supabaseWebhookSecret: string;
}

/**
 * Webhook secrets for local use only, made once per data dir and kept there (git-ignored) so that
 * `pnpm dev` and `pnpm paycron webhook send` agree. Inbound-only: they grant nothing anywhere else.
 */
export function devSecrets(dataDir: string): DevSecrets {
  const file = join(dataDir, "dev-secrets.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as DevSecrets;
  mkdirSync(dataDir, { recursive: true });
  const secrets: DevSecrets = {
    stripeWebhookSecret: `whsec_dev_${randomBytes(24).toString("hex")}`,
    supabaseWebhookSecret: randomBytes(24).toString("hex"),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

/**
 * The webhook app's configuration as `pnpm dev` runs it: the environment's secrets when set (an
 * empty variable, as in a copied .env.example, is not set), otherwise the dev secrets. The running
 * dev publishes what it verifies with (dev.json), which `webhook send` prefers.
 */
export function devWebhookConfig(dataDir: string, env: NodeJS.ProcessEnv = process.env): WebhookConfig {
  const secrets = devSecrets(dataDir);
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ""));
  return loadWebhookConfig({ STRIPE_WEBHOOK_SECRETS: secrets.stripeWebhookSecret, SUPABASE_WEBHOOK_SECRET: secrets.supabaseWebhookSecret, ...set });
}
