import { z } from "zod";
import { parseEnv } from "@paycron/core";
import { engineEnvShape, engineSettings, type EngineSettings } from "@paycron/runtime";
import { stripeRateLimitEnvShape } from "@paycron/stripe";

/*
 * The CLI's configuration, read once from the environment. Every variable is listed in
 * .env.example. Without DATABASE_URL the CLI uses the embedded Postgres under .paycron/; without
 * PAYCRON_ENGINE it runs tasks on the local engine (the CLI's own choice: it is the dev tool).
 */
const schema = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  PAYCRON_DATA_DIR: z.string().min(1).default(".paycron"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  ...engineEnvShape,
  PAYCRON_ENGINE: engineEnvShape.PAYCRON_ENGINE.default("local"),
  /** A Stripe emulator for local runs; tasks that call Stripe fail, naming the provider, without one. */
  STRIPE_API_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** The real Stripe (test mode, usually) for `pnpm dev`'s tasks instead of the emulator it starts. */
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^(sk|rk)_(live|test)_\S+$/, "STRIPE_SECRET_KEY must be a Stripe secret or restricted key (sk_…/rk_…)")
    .optional(),
  /** The port of the Stripe emulator `pnpm dev` starts (default: a free one). */
  STRIPE_EMULATOR_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** Stripe's rate limits, kept by local tasks' Stripe calls through a limiter on the database (0: not paced). */
  ...stripeRateLimitEnvShape,
  /** Emails through Resend when set; the local outbox under the data dir otherwise. */
  RESEND_API_KEY: z.string().regex(/^re_\S+$/, "RESEND_API_KEY must be a Resend API key (re_…)").optional(),
  RESEND_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  EMAIL_FROM: z.string().min(3).default("Paycron <billing@paycron.localhost>"),
  /** The app emails link to; the pnpm dev URL when unset. */
  APP_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Documents in Supabase Storage when SUPABASE_URL is set; files under the data dir otherwise. */
  SUPABASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  STORAGE_SIGNING_SECRET: z.string().min(32, "STORAGE_SIGNING_SECRET must be at least 32 characters").optional(),
});

export type CliEnv = z.infer<typeof schema> & { engine: EngineSettings };

export function readCliEnv(env: NodeJS.ProcessEnv = process.env): CliEnv {
  const parsed = parseEnv(schema, env, "CLI");
  return { ...parsed, engine: engineSettings(parsed) };
}
