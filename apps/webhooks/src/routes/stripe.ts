import { Hono } from "hono";
import { type Clock } from "@paycron/core";
import { recordStripeEvent, type WebhookInbox } from "@paycron/inbox";
import { verifyStripeWebhook } from "@paycron/stripe";
import type { AppEnv, WebhookAppDeps } from "../app-env.ts";
import { HttpError } from "../http-error.ts";
import { assertJsonDepth } from "../json-depth.ts";
import { rateLimit } from "../middleware/rate-limit.ts";
import { readBody } from "../read-body.ts";
import { storeEvent } from "../store-event.ts";

/**
 * POST /webhooks/stripe: verify the raw body, store it with its routing in one transaction,
 * and only then answer 200. A redelivery finds the stored row and answers 200 again.
 */
export function stripeRoutes(deps: WebhookAppDeps & { clock: Clock; inbox: WebhookInbox }) {
  const { inbox, config, clock } = deps;
  return new Hono<AppEnv>().post("/", rateLimit("stripe", config.rateLimit), async (c) => {
    const signature = c.req.header("stripe-signature");
    if (!signature) throw new HttpError(400, "signature_missing", "missing Stripe-Signature header");
    const body = await readBody(c.req.raw, config.bodyLimitBytes);

    const event = verifyStripeWebhook({
      payload: body,
      signatureHeader: signature,
      secrets: config.stripeWebhookSecrets,
      receivedAt: clock.now(),
      toleranceSeconds: config.stripeToleranceSeconds,
    });
    c.set("logFields", { eventId: event.id, eventType: event.type });
    // After the signature, so only Stripe hears about depth. JSON.parse above is safe at any
    // depth (V8's parser is iterative); storing serialises recursively, so the bound comes first.
    assertJsonDepth(body);

    const stored = await storeEvent(() => recordStripeEvent(inbox, event));
    c.set("logFields", { eventId: event.id, eventType: event.type, webhookEventId: stored.id, eventStatus: stored.status, duplicate: stored.duplicate });
    return c.json({ received: true });
  });
}
