import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

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
