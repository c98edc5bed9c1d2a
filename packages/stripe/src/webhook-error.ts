import { DomainError } from "@paycron/core";

/**
 * Why a Stripe delivery was refused. None is retryable: Stripe resends the same bytes and the
 * same signature, so the answer would not change (except `signature_expired`, which only gets
 * worse). Each maps to a 400 at the HTTP edge.
 */
export type StripeWebhookErrorCode =
  /** No `Stripe-Signature` header at all. */
  | "signature_missing"
  /** A header without `t=` and `v1=` parts, or with a non-numeric timestamp. */
  | "signature_malformed"
  /** No `v1` signature matches the body under any configured secret: tampered or wrong secret. */
  | "signature_mismatch"
  /** A valid signature older than the tolerance: a replay, or a delivery held back too long. */
  | "signature_expired"
  /** Signed correctly but not JSON. */
  | "invalid_json"
  /** JSON, but not an event (no string `id` / `type`). */
  | "invalid_event";

export class StripeWebhookError extends DomainError<StripeWebhookErrorCode> {}
