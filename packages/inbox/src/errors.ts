import { DomainError } from "@paycron/core";

export type InboxErrorCode =
  /** A task was given a webhook_events id that does not exist. Not retryable: the row is written
   *  in the same transaction as the outbox entry that started the task, so it never appears later. */
  | "webhook_event_not_found"
  /** A task of one provider was handed another provider's event: a routing bug, not retryable. */
  | "webhook_event_provider_mismatch"
  /** The payload holds something Postgres jsonb cannot store (a NUL character). Not retryable. */
  | "webhook_payload_unstorable"
  /** A replay asked for an event whose status a replay may not re-open (see replay-webhook-events.ts). */
  | "webhook_event_not_replayable"
  /** A replay asked for events whose type no task handles today: there is nothing to run them with. */
  | "webhook_event_unrouted"
  /** A replay's filter is missing, contradictory, or has a `since` that is not a date. */
  | "invalid_replay_filter";

export class InboxError extends DomainError<InboxErrorCode> {}
