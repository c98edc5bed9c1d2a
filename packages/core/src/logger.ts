import { pino, type Logger, type LoggerOptions } from "pino";

export type { Logger };

/**
 * Structured JSON logs. Paths that may carry secrets or card data are censored wherever they
 * appear, so a careless `log.info({ req })` cannot leak them.
 */
export function createLogger(options: { name: string; level?: string; destination?: NodeJS.WritableStream }): Logger {
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
  return options.destination ? pino(config, options.destination as pino.DestinationStream) : pino(config);
}

/** A logger that drops everything, for tests and benchmarks that do not read logs. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
