export { type Clock, systemClock, TestClock } from "./clock.ts";
export { ConfigError, parseEnv } from "./env.ts";
export { DomainError, isDomainError } from "./errors.ts";
export { createLogger, silentLogger, type CreateLoggerOptions, type Logger } from "./logger.ts";
export { logColourFromEnv, logFormatFromEnv, logOutputFromEnv, type LogFormat } from "./log-format.ts";
export { createGroupCommit, type GroupCommitOptions } from "./group-commit.ts";
export { chunks, inParallel } from "./in-parallel.ts";
export { burstOf, RateLimitWaitTooLong, type RateBucket, type RateLimiter, type RateReservation } from "./rate-limiter.ts";
