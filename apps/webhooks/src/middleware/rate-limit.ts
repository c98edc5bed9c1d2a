import type { MiddlewareHandler } from "hono";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { AppEnv } from "../app-env.ts";
import { HttpError } from "../http-error.ts";

/** Enough distinct sources for any real sender set; past it the least recently seen are forgotten. */
const MAX_SOURCES = 10_000;

/**
 * A token bucket per source (the route's provider plus the client address). Off by default:
 * Stripe and Supabase are trusted senders whose retries we want, and a 429 only delays them.
 * It exists for deployments that face noisy or hostile traffic on these public endpoints.
 */
export function rateLimit(provider: string, limit: { perSecond: number; burst: number } | null): MiddlewareHandler<AppEnv> {
  if (!limit) return async (_c, next) => next();
  const buckets = new Map<string, { tokens: number; at: number }>();
  return async (c, next) => {
    const source = `${provider}:${clientAddress(c)}`;
    const now = performance.now();
    const bucket = buckets.get(source) ?? { tokens: limit.burst, at: now };
    bucket.tokens = Math.min(limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * limit.perSecond);
    bucket.at = now;
    buckets.delete(source);
    buckets.set(source, bucket);
    if (buckets.size > MAX_SOURCES) buckets.delete(buckets.keys().next().value!);
    if (bucket.tokens < 1) {
      const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / limit.perSecond));
      throw new HttpError(429, "rate_limited", `too many requests from this source; retry in ${retryAfter}s`, {
        "retry-after": String(retryAfter),
      });
    }
    bucket.tokens -= 1;
    await next();
  };
}

function clientAddress(c: Parameters<typeof getConnInfo>[0]): string {
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    // In-process requests (app.request in tests) have no socket.
    return "unknown";
  }
}
