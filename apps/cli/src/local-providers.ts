import type { ProviderFactories } from "@paycron/runtime";
import { createLocalStripeClient } from "@paycron/stripe";
import type { CliEnv } from "./env.ts";

/** The local implementations of the task providers: the emulators `pnpm dev` points tasks at. */
export function localProviders(env: CliEnv): Partial<ProviderFactories> {
  return {
    ...(env.STRIPE_API_URL ? { stripe: () => createLocalStripeClient(env.STRIPE_API_URL!) } : {}),
  };
}
