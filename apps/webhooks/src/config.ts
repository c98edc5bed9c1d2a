import { z } from "zod";
import { ConfigError, parseEnv } from "@paycron/core";
import { STRIPE_SIGNATURE_TOLERANCE_SECONDS } from "@paycron/stripe";

/*
 * The webhook app's configuration, read once at start-up. Secrets have no default: the app
 * refuses to start without them rather than accept unverifiable deliveries. `pnpm dev` passes
 * explicit local values. Every variable is listed in .env.example.
 */
const csv = (value: string) =>
  value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  STRIPE_WEBHOOK_SECRETS: z
    .string({ error: "STRIPE_WEBHOOK_SECRETS is required: the endpoint's signing secret(s), whsec_…, comma-separated" })
    .transform(csv)
    .pipe(
      z
        .array(z.string().regex(/^whsec_\S+$/, "each secret starts with whsec_ (the endpoint signing secret, not an API key)"))
        .min(1, "STRIPE_WEBHOOK_SECRETS is empty: set the endpoint's signing secret(s), whsec_…, comma-separated"),
    ),
  STRIPE_WEBHOOK_TOLERANCE_SECONDS: z.coerce.number().int().min(1).max(3_600).default(STRIPE_SIGNATURE_TOLERANCE_SECONDS),
  SUPABASE_WEBHOOK_SECRET: z
    .string({ error: "SUPABASE_WEBHOOK_SECRET is required: the bearer token your Supabase database webhooks send" })
    .min(16, "SUPABASE_WEBHOOK_SECRET must be at least 16 characters (use a long random value)"),
  WEBHOOK_BODY_LIMIT_BYTES: z.coerce.number().int().min(1_024).max(64 * 1024 * 1024).default(1024 * 1024),
  WEBHOOK_RATE_LIMIT_PER_SECOND: z.coerce.number().min(0).default(0),
  WEBHOOK_RATE_LIMIT_BURST: z.coerce.number().int().min(1).optional(),
  DASHBOARD_TOKEN: z.string().min(16, "DASHBOARD_TOKEN must be at least 16 characters (use a long random value)").optional(),
});

export interface WebhookConfig {
  port: number;
  host: string;
  stripeWebhookSecrets: string[];
  stripeToleranceSeconds: number;
  supabaseWebhookSecret: string;
  bodyLimitBytes: number;
  /** Per source (provider + client address); null turns it off, the default. */
  rateLimit: { perSecond: number; burst: number } | null;
  /** DASHBOARD_TOKEN: a deployed app serves /dashboard only when it is set, and only to requests carrying it. */
  dashboardToken?: string;
}

export class WebhookConfigError extends Error {
  override readonly name = "WebhookConfigError";
}

export function loadWebhookConfig(env: Record<string, string | undefined> = process.env): WebhookConfig {
  let e: z.output<typeof schema>;
  try {
    // Through parseEnv, so an empty variable (a copied .env.example) counts as unset, as everywhere.
    e = parseEnv(schema, env, "webhook");
  } catch (error) {
    if (error instanceof ConfigError) throw new WebhookConfigError(error.message, { cause: error });
    throw error;
  }
  return {
    port: e.PORT,
    host: e.HOST,
    stripeWebhookSecrets: e.STRIPE_WEBHOOK_SECRETS,
    stripeToleranceSeconds: e.STRIPE_WEBHOOK_TOLERANCE_SECONDS,
    supabaseWebhookSecret: e.SUPABASE_WEBHOOK_SECRET,
    bodyLimitBytes: e.WEBHOOK_BODY_LIMIT_BYTES,
    rateLimit:
      e.WEBHOOK_RATE_LIMIT_PER_SECOND > 0
        ? { perSecond: e.WEBHOOK_RATE_LIMIT_PER_SECOND, burst: e.WEBHOOK_RATE_LIMIT_BURST ?? Math.ceil(e.WEBHOOK_RATE_LIMIT_PER_SECOND * 2) }
        : null,
    ...(e.DASHBOARD_TOKEN ? { dashboardToken: e.DASHBOARD_TOKEN } : {}),
  };
}
