import { createHash, timingSafeEqual } from "node:crypto";
import { Hono } from "hono";
import { recordSupabaseEvent, supabaseWebhookPayload, type WebhookInbox } from "@paycron/inbox";
import type { AppEnv, WebhookAppDeps } from "../app-env.ts";
import { HttpError } from "../http-error.ts";
import { assertJsonDepth } from "../json-depth.ts";
import { rateLimit } from "../middleware/rate-limit.ts";
import { readBody } from "../read-body.ts";
import { storeEvent } from "../store-event.ts";

const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();
const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * POST /webhooks/supabase: Supabase database webhooks carry no signature, only the bearer
 * secret configured on the hook, so that is checked first (comparing digests keeps the time
 * independent of where, or whether the lengths, differ). Then validate, store, answer.
 */
export function supabaseRoutes(deps: WebhookAppDeps & { inbox: WebhookInbox }) {
  const { inbox, config } = deps;
  const expected = digest(config.supabaseWebhookSecret);
  const unauthorized = (message: string) => new HttpError(401, "unauthorized", message, { "www-authenticate": 'Bearer realm="supabase-webhooks"' });

  return new Hono<AppEnv>().post("/", rateLimit("supabase", config.rateLimit), async (c) => {
    const authorization = c.req.header("authorization");
    if (!authorization) throw unauthorized("missing Authorization: Bearer <SUPABASE_WEBHOOK_SECRET> header");
    const match = /^Bearer +(\S+) *$/i.exec(authorization);
    if (!match || !timingSafeEqual(digest(match[1]!), expected)) throw unauthorized("invalid webhook secret");

    const body = await readBody(c.req.raw, config.bodyLimitBytes);
    // Before any work whose recursion grows with the input: the dedupe hash, serialising for storage.
    assertJsonDepth(body);
    let json: unknown;
    try {
      json = JSON.parse(decoder.decode(body));
    } catch {
      throw new HttpError(400, "invalid_json", "body is not valid UTF-8 JSON");
    }
    const parsed = supabaseWebhookPayload.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new HttpError(400, "invalid_payload", `not a Supabase database webhook: ${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"}`);
    }

    const stored = await storeEvent(() => recordSupabaseEvent(inbox, parsed.data));
    c.set("logFields", { eventId: stored.providerEventId, eventType: stored.type, webhookEventId: stored.id, eventStatus: stored.status, duplicate: stored.duplicate });
    return c.json({ received: true });
  });
}
