import { DomainError } from "@paycron/core";

export type BillingErrorCode =
  /** periodBounds/periodContaining got an argument outside its domain; `details.field` names it. */
  | "invalid_period_input"
  /** advanceSubscriptionPeriod was given an id no subscription has. */
  | "subscription_not_found"
  /** The subscription's live items have no price, or prices with different intervals: no cadence
   *  to compute periods from. Not retryable: the data must be fixed first. */
  | "subscription_cadence_unknown"
  /** The subscription has no open billing period to advance from. */
  | "billing_period_missing"
  /** A stored Stripe event lacks what its type promises (data.object of the right kind). Not retryable. */
  | "stripe_event_malformed"
  /** A refund arrived for a payment whose success is not recorded yet: retryable, the
   *  payment_intent.succeeded event settles it first. */
  | "refund_before_payment_settled"
  /** Stripe reports more refunded than the payment's amount: the rows disagree with Stripe. Not retryable. */
  | "refund_exceeds_payment";

export class BillingError extends DomainError<BillingErrorCode> {}
