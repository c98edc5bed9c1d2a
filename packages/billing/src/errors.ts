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
  /** createSubscription's input is invalid; `details.field` names the field. */
  | "invalid_subscription"
  | "customer_not_found"
  | "trials_unsupported"
  | "billing_run_not_found"
  /** A run's period has a payment but no invoice: the data is inconsistent. */
  | "invoice_missing"
  /** A payment for a run arrived from a PaymentIntent other than the run's own. */
  | "payment_intent_mismatch"
  /** Stripe's answer to a run's charge does not name the run. */
  | "payment_intent_unmatched"
  /** Stripe refused a run's idempotency key: its parameters changed after they were recorded (a bug, not a decline). */
  | "stripe_idempotency_conflict"
  /** An amount is not an integer number of minor units, or leaves the safe integer range. */
  | "amount_out_of_range"
  /** A price's currency differs from its subscription's: one invoice has one currency. */
  | "currency_mismatch"
  /** No billing period has the id given. */
  | "billing_period_not_found"
  /** A usage item's price names no usage meter, so there is nothing to measure it by. */
  | "usage_price_without_meter"
  /** No organization has the id given. */
  | "organization_not_found"
  /** A stored Stripe event lacks what its type promises (data.object of the right kind). Not retryable. */
  | "stripe_event_malformed"
  /** A refund arrived for a payment whose success is not recorded yet: retryable, the
   *  payment_intent.succeeded event settles it first. */
  | "refund_before_payment_settled"
  /** Stripe reports more refunded than the payment's amount: the rows disagree with Stripe. Not retryable. */
  | "refund_exceeds_payment"
  /** A stored Supabase event lacks what its handler reads (a customers INSERT without a record id). Not retryable. */
  | "webhook_event_malformed";

export class BillingError extends DomainError<BillingErrorCode> {}
