import type { Hono } from "hono";
import type { Clock } from "@paycron/core";
import { signStripePayload } from "@paycron/stripe";
import type { AppEnv } from "./app-env.ts";
import type { WebhookConfig } from "./config.ts";

/**
 * A delivery to this very app, signed (Stripe) or authorised (Supabase) with its own secrets, as
 * `paycron webhook send` does over HTTP: the dashboard's "send a test event" (pnpm dev only) goes
 * through the same verification, limits and inbox as a delivery from Stripe or Supabase.
 */
export function deliverLocally(app: Hono<AppEnv>, config: WebhookConfig, clock: Clock) {
  return async (provider: "stripe" | "supabase", body: string): Promise<{ status: number; body: string }> => {
    const headers: Record<string, string> =
      provider === "stripe"
        ? { "content-type": "application/json", "stripe-signature": signStripePayload(body, config.stripeWebhookSecrets[0]!, Math.floor(clock.now().getTime() / 1000)) }
        : { "content-type": "application/json", authorization: `Bearer ${config.supabaseWebhookSecret}` };
    const res = await app.request(`/webhooks/${provider}`, { method: "POST", headers, body });
    return { status: res.status, body: await res.text() };
  };
}
