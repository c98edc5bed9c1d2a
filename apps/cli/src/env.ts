import { z } from "zod";

/*
 * The CLI's configuration, read once from the environment. Every variable is listed in
 * .env.example. Without DATABASE_URL the CLI uses the embedded Postgres under .paycron/.
 */
const schema = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  PAYCRON_DATA_DIR: z.string().min(1).default(".paycron"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type CliEnv = z.infer<typeof schema>;

export function readCliEnv(env: NodeJS.ProcessEnv = process.env): CliEnv {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`invalid environment (see .env.example):\n${lines.join("\n")}`);
  }
  return parsed.data;
}
