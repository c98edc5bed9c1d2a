import { createHmac, timingSafeEqual } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { csrf } from "hono/csrf";
import { HTTPException } from "hono/http-exception";

/** The cookie /dashboard/login sets: an HMAC of the token, not the token itself. */
export const SESSION_COOKIE = "paycron_dashboard";

export function sessionValue(token: string): string {
  return createHmac("sha256", token).update("paycron-dashboard-session").digest("base64url");
}

export function sameSecret(given: string, expected: string): boolean {
  // Digests first: equal lengths for timingSafeEqual, and nothing learnt from the length.
  const a = createHmac("sha256", "compare").update(given).digest();
  const b = createHmac("sha256", "compare").update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Whether the request carries the token: `Authorization: Bearer <token>` or the login cookie. */
export function isAuthorized(c: Context, token: string | undefined): boolean {
  if (!token) return true;
  const header = c.req.header("authorization");
  const bearer = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (bearer && sameSecret(bearer, token)) return true;
  const cookie = getCookie(c, SESSION_COOKIE);
  return cookie !== undefined && sameSecret(cookie, sessionValue(token));
}

const sameOrigin = csrf();

/**
 * Cross-site writes are refused before anything else: Hono's csrf() (a form POST must come from
 * this origin, by Origin or Sec-Fetch-Site). The dashboard's writes only accept form bodies, so
 * csrf() sees every one of them; a write of any other content type is refused here too, which
 * keeps a cross-site JSON or text/plain trick from reaching an action.
 */
export function refuseCrossSite(onRefused: (c: Context) => Response | Promise<Response>): MiddlewareHandler {
  return async (c, next) => {
    if (/^(GET|HEAD|OPTIONS)$/.test(c.req.method)) return next();
    const type = c.req.header("content-type") ?? "";
    if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type)) return onRefused(c);
    try {
      await sameOrigin(c, async () => {});
    } catch (error) {
      if (error instanceof HTTPException && error.status === 403) return onRefused(c);
      throw error;
    }
    return next();
  };
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/**
 * Without a token the dashboard is for this machine only (pnpm dev listens on 127.0.0.1), so a
 * request must name a loopback host: a page on another site that rebinds its own name to
 * 127.0.0.1 (DNS rebinding) is then same-origin to the browser, but its Host is its own name.
 */
export function isLoopbackHost(c: Context): boolean {
  const host = c.req.header("host") ?? new URL(c.req.url).host;
  const name = host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.split(":")[0]!;
  return LOOPBACK.has(name.toLowerCase());
}

/** No other site may frame the dashboard (a framed button is a forged click), nor sniff its types. */
export const SECURITY_HEADERS: Record<string, string> = {
  "x-frame-options": "DENY",
  "content-security-policy": "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
  "cache-control": "no-store",
};
