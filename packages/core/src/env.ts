import type { z } from "zod";

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/**
 * Parses a process's environment once, at start. An empty variable counts as unset, so a copy of
 * .env.example with blanks behaves like no file at all; every problem names its variable.
 */
export function parseEnv<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>, what: string): z.output<S> {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".") || "environment"}: ${i.message}`);
    throw new ConfigError(`invalid ${what} configuration (see .env.example):\n${lines.join("\n")}`);
  }
  return parsed.data;
}
