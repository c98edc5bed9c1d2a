import { z } from "zod";
import { createLogger, parseEnv, systemClock } from "@paycron/core";
import { createDb, createPostgresRateLimiter } from "@paycron/db";
import { appLinks, appUrlSchema, createResendTransport } from "@paycron/email/transport";
import { createSupabaseStorage, loadSupabaseStorageConfig } from "@paycron/storage";
import { createStripeClient, stripeRateLimitEnvShape, stripeRateLimitsFromEnv } from "@paycron/stripe";
import { triggerLimits, triggerLimitsEnvShape } from "./engine/engine-config.ts";
import { triggerEngine } from "./engine/trigger-engine.ts";
import { createTaskDeps, type TaskDeps } from "./task-deps.ts";

const logLevel = z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info");

/** A worker deployed on Trigger.dev: every setting it needs, named when missing. */
const workerEnv = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: "set DATABASE_URL (postgres://…) in the worker's environment on Trigger.dev" }),
  TRIGGER_SECRET_KEY: z.string({ error: "Trigger.dev sets TRIGGER_SECRET_KEY on a deployed worker; set it when running the worker elsewhere" }).min(1),
  TRIGGER_API_URL: z.url().default("https://api.trigger.dev"),
  STRIPE_SECRET_KEY: z
    .string({ error: "set STRIPE_SECRET_KEY (sk_live_…/sk_test_…/rk_…) in the worker's environment on Trigger.dev" })
    .regex(/^(sk|rk)_(live|test)_\S+$/, "STRIPE_SECRET_KEY must be a Stripe secret or restricted key (sk_…/rk_…)"),
  ...stripeRateLimitEnvShape,
  ...triggerLimitsEnvShape,
  LOG_LEVEL: logLevel,
});

/*
 * Checked when a task first needs them, so a worker missing, say, Resend's key still charges:
 * only its email tasks fail, naming the variable.
 */
const emailEnv = z.object({
  RESEND_API_KEY: z.string({ error: "set RESEND_API_KEY in the worker's environment on Trigger.dev (emails go through Resend there)" }).regex(/^re_\S+$/, "RESEND_API_KEY must be a Resend API key (re_…)"),
  RESEND_BASE_URL: z.url().optional(),
  EMAIL_FROM: z.string({ error: 'set EMAIL_FROM (e.g. "Acme billing <billing@acme.example>") on a domain verified in Resend' }).min(3),
});
const linksEnv = z.object({ APP_URL: appUrlSchema });

/**
 * The deps of a worker deployed on Trigger.dev, parsed once from its environment: its database,
 * the system clock, JSON logs, Trigger.dev as the engine for follow-up runs (paced to the
 * platform's limits), and the real Stripe,
 * paced within Stripe's rate limits by a limiter on the worker's database, which every worker
 * shares; documents in Supabase Storage, emails through Resend.
 */
export function taskDepsFromEnvironment(env: Record<string, string | undefined> = process.env): TaskDeps {
  const e = parseEnv(workerEnv, env, "deployed worker");
  const db = createDb({ connectionString: e.DATABASE_URL, max: 5, applicationName: "paycron-task" });
  const logger = createLogger({ name: "paycron-task", level: e.LOG_LEVEL });
  return createTaskDeps(
    {
      db,
      clock: systemClock,
      logger,
      engine: triggerEngine({ secretKey: e.TRIGGER_SECRET_KEY, baseURL: e.TRIGGER_API_URL, limits: triggerLimits(e) }),
    },
    {
      stripe: () =>
        createStripeClient({
          secretKey: e.STRIPE_SECRET_KEY,
          rateLimit: { limiter: createPostgresRateLimiter(db), limits: stripeRateLimitsFromEnv(e), logger },
        }),
      storage: () => createSupabaseStorage({ ...loadSupabaseStorageConfig(env), clock: systemClock }),
      email: () => {
        const mail = parseEnv(emailEnv, env, "deployed worker's email");
        return createResendTransport({ apiKey: mail.RESEND_API_KEY, from: mail.EMAIL_FROM, baseUrl: mail.RESEND_BASE_URL });
      },
      links: () => appLinks(parseEnv(linksEnv, env, "deployed worker's email links").APP_URL),
    },
  );
}

