import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/**
 * A refusal with a stable code, turned into `{"error":{"code","message"}}` by app.onError.
 * Messages are written for the sender's operator and never echo secrets or payload content.
 */
export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * nginx's "client closed request": the status of a request whose client hung up before it could
 * be answered. Nobody receives it; it marks the access-log line as the client's doing, not ours.
 */
export const CLIENT_CLOSED_REQUEST = 499 as ContentfulStatusCode;

export function errorResponse(c: Context, status: ContentfulStatusCode, code: string, message: string, headers: Record<string, string> = {}) {
  return c.json({ error: { code, message } }, status, headers);
}
