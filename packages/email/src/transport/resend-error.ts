import type { ErrorResponse } from "resend";
import { EmailError } from "../errors.ts";

/**
 * Resend's `{ error }` as an EmailError. Retryable: no answer at all (network, timeout: statusCode
 * null), 429, 5xx, and a 409 for a request with the same key still in flight. Everything else is
 * the provider refusing this email for good, so retrying would only repeat the refusal.
 */
export function resendErrorToEmailError(error: ErrorResponse, headers: Record<string, string> | null): EmailError {
  const status = error.statusCode;
  const details = { provider: "resend", statusCode: status, name: error.name, retryAfterSeconds: retryAfterSeconds(headers) };
  const message = `resend answered ${status ?? "nothing"} ${error.name}: ${error.message}`;
  if (status === 409 && error.name === "invalid_idempotent_request") {
    return new EmailError("email_idempotency_conflict", message, { details });
  }
  const retryable = status === null || status === 429 || status >= 500 || error.name === "concurrent_idempotent_requests";
  return new EmailError(retryable ? "email_provider_unavailable" : "email_rejected", message, { retryable, details });
}

/** The Retry-After header in seconds (a number of seconds; Resend does not send a date). */
function retryAfterSeconds(headers: Record<string, string> | null): number | undefined {
  const value = Number(headers?.["retry-after"]);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}
