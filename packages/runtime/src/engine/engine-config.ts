import { z } from "zod";
import { ConfigError } from "@paycron/core";

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
};

export type EngineSettings = { kind: "local" } | { kind: "trigger"; secretKey: string; baseURL: string };

export function engineSettings(env: { PAYCRON_ENGINE: "local" | "trigger"; TRIGGER_SECRET_KEY?: string; TRIGGER_API_URL: string }): EngineSettings {
  if (env.PAYCRON_ENGINE === "local") return { kind: "local" };
  if (!env.TRIGGER_SECRET_KEY) {
    throw new ConfigError("invalid task engine configuration (see .env.example):\n  TRIGGER_SECRET_KEY: set it to the project's secret key (tr_dev_…/tr_prod_…) when PAYCRON_ENGINE=trigger");
  }
  return { kind: "trigger", secretKey: env.TRIGGER_SECRET_KEY, baseURL: env.TRIGGER_API_URL };
}
