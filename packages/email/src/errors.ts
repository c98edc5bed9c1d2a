import { DomainError } from "@paycron/core";

export type EmailErrorCode =
  /** renderEmail was given a name the registry does not have. Not retryable. */
  | "unknown_template"
  /** A template's props fail its schema; `details.issues` says where. Not retryable: the caller must fix them. */
  | "invalid_email_props"
  /** The provider could not take the email now (429, 5xx, timeout, network). Retryable with the same
   *  idempotency key; `details.retryAfterSeconds` carries the provider's hint when it gave one. */
  | "email_provider_unavailable"
  /** The provider refused the email for good (a 4xx other than 429: bad address, unverified domain,
   *  bad key). Not retryable: the delivery is `failed`, and sending again would be refused again. */
  | "email_rejected"
  /** The provider holds the idempotency key for a different email (Resend's invalid_idempotent_request):
   *  a bug, since a key's row keeps the exact email first sent under it. Not retryable. */
  | "email_idempotency_conflict"
  /** emailKey got an empty part, or a key longer than Resend keeps. Not retryable. */
  | "invalid_email_key"
  /** sendEmail found the occurrence's delivery `failed` earlier; it is not sent again. Not retryable. */
  | "email_delivery_failed";

/** Email failures; `retryable` tells the task runtime whether another attempt can help. */
export class EmailError extends DomainError<EmailErrorCode> {}
