import { concurrencyLimit } from "@trigger.dev/sdk";

/**
 * Every task that calls the Stripe API holds this limit, so a burst of webhooks or a billing
 * cron cannot push us past Stripe's rate limit (100 req/s live, 25 in test mode) and into
 * 429s that then retry in lockstep. Tune it per environment with concurrencyLimits.override.
 */
export const stripeApiLimit = concurrencyLimit({ name: "stripe-api", total: 10 });
