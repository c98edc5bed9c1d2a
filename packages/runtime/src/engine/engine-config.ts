import { z } from "zod";
import { localEngine } from "../local/local-engine.ts";
import { triggerEngine } from "./trigger-engine.ts";
import type { TaskEngine } from "./types.ts";

const schema = z
  .object({
    /** Where runs execute: this machine's graphile-worker, or Trigger.dev. No silent fallback. */
    PAYCRON_ENGINE: z.enum(["local", "trigger"]).default("local"),
    TRIGGER_SECRET_KEY: z.string().min(1).optional(),
    TRIGGER_API_URL: z.url().default("https://api.trigger.dev"),
  })
  .superRefine((env, ctx) => {
    if (env.PAYCRON_ENGINE === "trigger" && !env.TRIGGER_SECRET_KEY) {
      ctx.addIssue({ code: "custom", path: ["TRIGGER_SECRET_KEY"], message: "set it to the project's secret key (tr_dev_…/tr_prod_…) when PAYCRON_ENGINE=trigger" });
    }
  });

export type EngineConfig = z.infer<typeof schema>;

export function readEngineConfig(env: NodeJS.ProcessEnv = process.env): EngineConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`invalid task engine configuration (see .env.example):\n${lines.join("\n")}`);
  }
  return parsed.data;
}

export function createEngine(config: EngineConfig): TaskEngine {
  if (config.PAYCRON_ENGINE === "trigger") return triggerEngine({ secretKey: config.TRIGGER_SECRET_KEY!, baseURL: config.TRIGGER_API_URL });
  return localEngine();
}
