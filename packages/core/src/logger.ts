import { pino, type Logger, type LoggerOptions } from "pino";
import { ConfigError } from "./env.ts";
import type { LogFormat } from "./log-format.ts";
import { prettyStream } from "./pretty-log.ts";

export type { Logger };

export interface CreateLoggerOptions {
  name: string;
  level?: string;
  /**
   * json (the default): one JSON object per line. pretty: one short line per event for a person
   * at a terminal (see pretty-log.ts). Apps choose with logOutputFromEnv (LOG_FORMAT, TTY).
   */
  format?: LogFormat;
  /** pretty only: ANSI colours. Apps pass logOutputFromEnv's answer (a TTY without NO_COLOR). */
  colour?: boolean;
  /** Where lines go; standard output by default. */
  destination?: NodeJS.WritableStream;
}

/**
 * Structured logs. Paths that may carry secrets or card data are censored wherever they appear,
 * so a careless `log.info({ req })` cannot leak them; pretty lines are made from the censored
 * JSON, so the same paths are censored in both formats.
 */
export function createLogger(options: CreateLoggerOptions): Logger {
  const format = options.format ?? "json";
  if (format !== "json" && format !== "pretty") throw new ConfigError(`unknown log format ${JSON.stringify(format)}: expected json or pretty`);
  const config: LoggerOptions = {
    name: options.name,
    level: options.level ?? "info",
    base: { service: options.name },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [
        "*.authorization",
        "*.Authorization",
        "*.password",
        "*.secret",
        "*.secretKey",
        "*.apiKey",
        "*.headers.authorization",
        "*.headers['stripe-signature']",
        "*.card",
        "*.payload",
        "*.databaseUrl",
      ],
      censor: "[redacted]",
    },
  };
  if (format === "pretty") {
    // Synchronous: a terminal's lines stay in order with console output and survive process.exit.
    const destination = options.destination ?? pino.destination({ dest: 1, sync: true });
    return pino(config, prettyStream(destination, options.colour === true));
  }
  return options.destination ? pino(config, options.destination as pino.DestinationStream) : pino(config);
}

/** A logger that drops everything, for tests and benchmarks that do not read logs. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
