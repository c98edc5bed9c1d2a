import { ConfigError } from "./env.ts";

/** json: one JSON object per line, for machines. pretty: one short readable line per event. */
export type LogFormat = "json" | "pretty";

/** The part of a stream these helpers look at (process.stdout, process.stderr). */
export interface OutputStream {
  isTTY?: boolean;
}

/**
 * The format an app's logs should take: LOG_FORMAT when set (exactly `json` or `pretty`; anything
 * else is a ConfigError naming it), else pretty on a terminal and JSON on anything else (a pipe, a
 * file, a log collector). An empty LOG_FORMAT counts as unset, as in parseEnv.
 */
export function logFormatFromEnv(env: Record<string, string | undefined>, stream: OutputStream): LogFormat {
  const value = env.LOG_FORMAT;
  if (value === undefined || value === "") return stream.isTTY === true ? "pretty" : "json";
  if (value === "json" || value === "pretty") return value;
  throw new ConfigError(`invalid LOG_FORMAT ${JSON.stringify(value)}: expected json or pretty (see .env.example)`);
}

/**
 * Colour only on a terminal that has it: not when NO_COLOR is set to anything (https://no-color.org)
 * nor on TERM=dumb.
 */
export function logColourFromEnv(env: Record<string, string | undefined>, stream: OutputStream): boolean {
  return stream.isTTY === true && !env.NO_COLOR && env.TERM !== "dumb";
}

/**
 * What createLogger needs to know about where an app logs, from its environment and the stream it
 * logs to: `createLogger({ name, level, ...logOutputFromEnv(process.env, process.stdout) })`.
 */
export function logOutputFromEnv(env: Record<string, string | undefined>, stream: OutputStream): { format: LogFormat; colour: boolean } {
  const format = logFormatFromEnv(env, stream);
  return { format, colour: format === "pretty" && logColourFromEnv(env, stream) };
}
