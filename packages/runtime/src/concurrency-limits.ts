import { concurrencyLimit } from "@trigger.dev/sdk";

/**
 * Every task that calls the Stripe API holds this limit, so a burst of webhooks or a billing
 * cron cannot push us past Stripe's rate limit (100 req/s live, 25 in test mode) and into
 * 429s that then retry in lockstep. Tune it per environment with concurrencyLimits.override.
 */
export const stripeApiLimit = concurrencyLimit({ name: "stripe-api", total: 10 });

/**
 * Every task that sends email holds this one: Resend admits a few requests a second per team, and
 * a burst of receipts after a billing cron would otherwise meet 429s in lockstep. A 429 is still
 * retried with the same idempotency key.
 */
export const emailApiLimit = concurrencyLimit({ name: "email-api", total: 2 });

/**
 * The retry policy of the email tasks: Resend's 429s and outages are waited out for about an hour
 * (each retry with the same idempotency key), a refusal (4xx) is not retried at all.
 */
export const emailRetry = { maxAttempts: 8, factor: 2, minTimeoutInMs: 5_000, maxTimeoutInMs: 900_000, randomize: true } as const;
