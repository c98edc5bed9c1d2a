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
 * The webhook app's configuration as `pnpm dev` runs it: the environment's secrets when set,
 * otherwise the dev secrets. `pnpm paycron webhook send` signs with the same, so they agree.
 */
export function devWebhookConfig(dataDir: string, env: NodeJS.ProcessEnv = process.env): WebhookConfig {
  const secrets = devSecrets(dataDir);
  return loadWebhookConfig({ STRIPE_WEBHOOK_SECRETS: secrets.stripeWebhookSecret, SUPABASE_WEBHOOK_SECRET: secrets.supabaseWebhookSecret, ...env });
}
