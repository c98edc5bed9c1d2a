import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateSigningSecret } from "@paycron/storage";
import { loadWebhookConfig, type WebhookConfig } from "@paycron/webhooks";

export interface DevSecrets {
  stripeWebhookSecret: string;
  supabaseWebhookSecret: string;
  /** Signs the local documents' /files URLs. */
  storageSigningSecret: string;
}

/**
 * Webhook secrets for local use only, made once per data dir and kept there (git-ignored) so that
 * `pnpm dev` and `pnpm paycron webhook send` agree, and a document link printed by `paycron invoice
 * pdf` is one the running dev serves. They grant nothing outside this data dir. A secret added
 * since the file was written is made and added to it.
 */
export function devSecrets(dataDir: string): DevSecrets {
  const file = join(dataDir, "dev-secrets.json");
  const kept = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Partial<DevSecrets>) : {};
  const secrets: DevSecrets = {
    stripeWebhookSecret: kept.stripeWebhookSecret ?? `whsec_dev_${randomBytes(24).toString("hex")}`,
    supabaseWebhookSecret: kept.supabaseWebhookSecret ?? randomBytes(24).toString("hex"),
    storageSigningSecret: kept.storageSigningSecret ?? generateSigningSecret(),
  };
  if (Object.keys(kept).length !== Object.keys(secrets).length) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
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
