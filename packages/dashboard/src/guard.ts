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
