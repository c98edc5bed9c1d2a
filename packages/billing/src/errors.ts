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
  | "billing_period_missing";

export class BillingError extends DomainError<BillingErrorCode> {}
