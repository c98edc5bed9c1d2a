import { DomainError } from "@paycron/core";

export type NotificationErrorCode =
  /** The payload names a row that does not exist. Not retryable. */
  | "notification_subject_not_found";

export class NotificationError extends DomainError<NotificationErrorCode> {}
