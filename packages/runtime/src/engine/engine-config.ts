import { z } from "zod";
import { ConfigError } from "@paycron/core";
import { DEFAULT_TRIGGER_LIMITS, type TriggerLimits } from "./trigger-limits.ts";

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** The platform limits the dispatcher paces itself to; defaults are Trigger.dev's Hobby/Pro plans. */
export const triggerLimitsEnvShape = {
  TRIGGER_MAX_BATCH_ITEMS: positiveInt(DEFAULT_TRIGGER_LIMITS.maxBatchItems),
  TRIGGER_BATCH_BURST: positiveInt(DEFAULT_TRIGGER_LIMITS.batchBurst),
  TRIGGER_BATCH_REFILL_RUNS: positiveInt(DEFAULT_TRIGGER_LIMITS.batchRefillRuns),
  TRIGGER_BATCH_REFILL_SECONDS: positiveInt(DEFAULT_TRIGGER_LIMITS.batchRefillEveryMs / 1_000),
  TRIGGER_API_REQUESTS_PER_MINUTE: positiveInt(DEFAULT_TRIGGER_LIMITS.apiRequestsPerMinute),
};

type TriggerLimitsEnv = { [K in keyof typeof triggerLimitsEnvShape]: number };

export function triggerLimits(env: TriggerLimitsEnv): TriggerLimits {
  return {
    maxBatchItems: env.TRIGGER_MAX_BATCH_ITEMS,
    batchBurst: env.TRIGGER_BATCH_BURST,
    batchRefillRuns: env.TRIGGER_BATCH_REFILL_RUNS,
    batchRefillEveryMs: env.TRIGGER_BATCH_REFILL_SECONDS * 1_000,
    apiRequestsPerMinute: env.TRIGGER_API_REQUESTS_PER_MINUTE,
  };
}

/**
 * The engine settings an app reads from its environment. No default: each app decides (the CLI
 * defaults to local for `pnpm dev`; the webhook app alone must be told), and a package never guesses.
 */
export const engineEnvShape = {
  PAYCRON_ENGINE: z.enum(["local", "trigger"], {
    error: "set PAYCRON_ENGINE to local (graphile-worker on this database runs the tasks) or trigger (Trigger.dev runs them)",
  }),
  TRIGGER_SECRET_KEY: z.string().min(1).optional(),
  TRIGGER_API_URL: z.url().default("https://api.trigger.dev"),
  ...triggerLimitsEnvShape,
};

export type EngineSettings = { kind: "local" } | { kind: "trigger"; secretKey: string; baseURL: string; limits: TriggerLimits };

export function engineSettings(
  env: { PAYCRON_ENGINE: "local" | "trigger"; TRIGGER_SECRET_KEY?: string; TRIGGER_API_URL: string } & TriggerLimitsEnv,
): EngineSettings {
  if (env.PAYCRON_ENGINE === "local") return { kind: "local" };
  if (!env.TRIGGER_SECRET_KEY) {
    throw new ConfigError("invalid task engine configuration (see .env.example):\n  TRIGGER_SECRET_KEY: set it to the project's secret key (tr_dev_…/tr_prod_…) when PAYCRON_ENGINE=trigger");
  }
  return { kind: "trigger", secretKey: env.TRIGGER_SECRET_KEY, baseURL: env.TRIGGER_API_URL, limits: triggerLimits(env) };
}
