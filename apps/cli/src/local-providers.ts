import type { Logger } from "@paycron/core";
import { systemClock } from "@paycron/core";
import { createPostgresRateLimiter, type Db } from "@paycron/db";
import type { ProviderFactories } from "@paycron/runtime";
import { createLocalStripeClient, createStripeClient, type StripeRateLimitOptions, stripeRateLimitsFromEnv } from "@paycron/stripe";
import type { StripeEmulator } from "@paycron/stripe-emulator";
import type { CliEnv } from "./env.ts";

export interface LocalProviderOptions {
  /** The emulator `pnpm dev` started, read when a task first needs it. */
  stripeApiUrl?: () => string | undefined;
  /** The database whose rate limiter paces Stripe calls, shared with every other process on it; without it, calls are not paced (a 429 is still resent). */
  db?: Db;
  logger?: Logger;
}

/**
 * The task providers of local runs. Stripe: the real one when STRIPE_SECRET_KEY is set, else an
 * emulator: `stripeApiUrl` or STRIPE_API_URL; no provider without any of them. Either way within
 * Stripe's rate limits (STRIPE_RATE_LIMIT_PER_SECOND, …), as a deployed worker.
 */
export function localProviders(env: CliEnv, options: LocalProviderOptions = {}): Partial<ProviderFactories> {
  const rateLimit: StripeRateLimitOptions = {
    ...(options.db ? { limiter: createPostgresRateLimiter(options.db) } : {}),
    limits: stripeRateLimitsFromEnv(env),
    ...(options.logger ? { logger: options.logger } : {}),
  };
  if (env.STRIPE_SECRET_KEY) {
    const secretKey = env.STRIPE_SECRET_KEY;
    return { stripe: () => createStripeClient({ secretKey, rateLimit }) };
  }
  if (options.stripeApiUrl) {
    const apiUrl = options.stripeApiUrl;
    return {
      stripe: () => {
        const url = apiUrl();
        // Not cached by the task deps: the run retries and finds it up.
        if (!url) throw new Error("the Stripe emulator is not up yet");
        return createLocalStripeClient(url, { rateLimit });
      },
    };
  }
  const url = env.STRIPE_API_URL;
  return url ? { stripe: () => createLocalStripeClient(url, { rateLimit }) } : {};
}

/**
 * Stripe's retries span three days; the emulator's default gives up after ~3 s. Locally a webhook
 * app being restarted (or a breakpoint) should not lose events: about ten minutes of retries.
 */
export const LOCAL_WEBHOOK_RETRY_DELAYS_MS: readonly number[] = [500, 1_000, 2_000, 5_000, 10_000, 30_000, 60_000, 120_000, 180_000, 180_000];

/** The Stripe emulator as `pnpm dev` and `paycron stripe-emulator` run it: system clock, dev retry delays, Stripe's rate limits. */
export async function startLocalStripeEmulator(options: {
  port?: number;
  host?: string;
  webhook?: { url: string; secret: string };
  logger?: Logger;
  /** Ids are `<prefix>_<idSeed><counter>` (default "emu"). */
  idSeed?: string;
}): Promise<StripeEmulator> {
  // Loaded here, so that commands that only build providers (paycron trigger) do not load the emulator.
  const { startStripeEmulator, STRIPE_DEFAULT_RATE_LIMIT } = await import("@paycron/stripe-emulator");
  return startStripeEmulator({
    clock: systemClock,
    port: options.port ?? 0,
    host: options.host ?? "127.0.0.1",
    ...(options.webhook ? { webhook: { ...options.webhook, retryDelaysMs: LOCAL_WEBHOOK_RETRY_DELAYS_MS } } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.idSeed ? { idSeed: options.idSeed } : {}),
    // Stripe's live-mode limits, so local runs meet them as production does.
    rateLimit: STRIPE_DEFAULT_RATE_LIMIT,
  });
}
