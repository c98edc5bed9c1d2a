import { join } from "node:path";
import type { Clock, Logger } from "@paycron/core";
import { systemClock } from "@paycron/core";
import { createPostgresRateLimiter, type Db } from "@paycron/db";
import { appLinks, createEmailTransport, createLocalOutboxTransport } from "@paycron/email/transport";
import type { ProviderFactories } from "@paycron/runtime";
import { createSupabaseStorage, generateSigningSecret, loadSupabaseStorageConfig, LocalStorage, type Storage } from "@paycron/storage";
import { createLocalStripeClient, createStripeClient, type StripeRateLimitOptions, stripeRateLimitsFromEnv } from "@paycron/stripe";
import type { StripeEmulator } from "@paycron/stripe-emulator";
import type { CliEnv } from "./env.ts";

export interface LocalProviderOptions {
  /** Documents and emails (documentProviders); without them, tasks that need them fail naming the provider. */
  documents?: DocumentProviderOptions & { storage?: Storage };
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
  return { ...stripeProvider(env, options), ...(options.documents ? documentProviders(env, options.documents) : {}) };
}

function stripeProvider(env: CliEnv, options: LocalProviderOptions): Partial<ProviderFactories> {
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

export interface DocumentProviderOptions {
  /** PAYCRON_DATA_DIR: local documents under `storage/`, the local email outbox under `emails/`. */
  dataDir: string;
  /** Signs local document URLs (STORAGE_SIGNING_SECRET, or the one pnpm dev keeps in the data dir). */
  signingSecret: string;
  /** The webhook app's address, which serves local documents at /files and stands in for APP_URL. */
  publicBaseUrl: () => string;
  clock?: Clock;
  logger: Logger;
}

/**
 * Where local runs keep documents: Supabase Storage when SUPABASE_URL is set (its bucket, with the
 * service-role key), else files under the data dir, served by the webhook app's /files route.
 */
export function documentStorage(env: CliEnv, options: DocumentProviderOptions): Storage {
  const clock = options.clock ?? systemClock;
  if (env.SUPABASE_URL) return createSupabaseStorage({ ...loadSupabaseStorageConfig(process.env), clock });
  return new LocalStorage({ dataDir: options.dataDir, signingSecret: options.signingSecret, publicBaseUrl: options.publicBaseUrl, clock });
}

/** Storage, email (Resend with RESEND_API_KEY, else the local outbox) and the links emails carry. */
export function documentProviders(env: CliEnv, options: DocumentProviderOptions & { storage?: Storage }): Pick<ProviderFactories, "storage" | "email" | "links"> {
  const clock = options.clock ?? systemClock;
  return {
    storage: () => options.storage ?? documentStorage(env, options),
    email: () =>
      createEmailTransport({ resendApiKey: env.RESEND_API_KEY, resendBaseUrl: env.RESEND_BASE_URL, from: env.EMAIL_FROM, dataDir: options.dataDir, clock, logger: options.logger }),
    links: () => appLinks(env.APP_URL ?? options.publicBaseUrl()),
  };
}

/**
 * Documents and emails that never leave the machine whatever the environment says (the simulation,
 * tests): files under `dataDir` (storage/, emails/), signed with a key made for this process,
 * links to `appUrl`. The same implementations `pnpm dev` uses without Resend or Supabase.
 */
export function fileDocumentProviders(options: { dataDir: string; clock: Clock; logger: Logger; appUrl: string }) {
  const storage = new LocalStorage({ dataDir: options.dataDir, signingSecret: generateSigningSecret(), publicBaseUrl: options.appUrl, clock: options.clock });
  const email = createLocalOutboxTransport({ dir: join(options.dataDir, "emails"), from: "Paycron <billing@paycron.localhost>", clock: options.clock, logger: options.logger });
  const providers: Pick<ProviderFactories, "storage" | "email" | "links"> = { storage: () => storage, email: () => email, links: () => appLinks(options.appUrl) };
  return { storage, email, providers };
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
