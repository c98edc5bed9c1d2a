import type { ContentfulStatusCode } from "hono/utils/http-status";
import { StripeWebhookError } from "@paycron/stripe";
import { HttpError } from "./http-error.ts";

/**
 * The one rule for what a failed request answers. The status class is an instruction to the
 * sender (Stripe redelivers anything but a 2xx for three days) and to whoever reads the logs:
 *
 * - 4xx, access line at warn: the request itself is wrong (signature, secret, size, nesting
 *   depth, schema, a value the database will never hold). The same bytes would get the same
 *   answer, so no retry can help. Raised as an HttpError or StripeWebhookError by the check.
 * - 503 with Retry-After, logged at error with its cause: storage is really unavailable (a
 *   refused or lost connection, a server shutting down or out of resources; storage-errors.ts).
 *   The event was not stored and the same delivery can succeed later. Only storeEvent raises it.
 * - 500, logged at error with its stack: anything else (a TypeError, a RangeError, a SQL mistake)
 *   is a fault of ours, and is neither blamed on the sender nor dressed up as an outage.
 * - 499 client_aborted, access line at info with no stack: the client hung up mid-body and
 *   nobody is left to answer (read-body.ts).
 */
export interface ErrorAnswer {
  status: ContentfulStatusCode;
  code: string;
  message: string;
  headers: Record<string, string>;
  /** Beyond the access line: nothing, the cause of an outage, or the stack of a fault of ours. */
  log: "none" | "cause" | "stack";
}

export function answerFor(error: unknown): ErrorAnswer {
  if (error instanceof HttpError) {
    return { status: error.status, code: error.code, message: error.message, headers: error.headers, log: error.status >= 500 ? "cause" : "none" };
  }
  if (error instanceof StripeWebhookError) {
    return { status: 400, code: error.code, message: error.message, headers: {}, log: "none" };
  }
  return { status: 500, code: "internal_error", message: "internal error; the request was not processed", headers: {}, log: "stack" };
}
