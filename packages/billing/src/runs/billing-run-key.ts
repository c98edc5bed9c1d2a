/**
 * The outbox key of "execute this billing run" when the run is scheduled: one engine run per
 * billing run. (The crons use their own per-tick keys; the run's lease makes repeats harmless.)
 */
export const billingRunTaskKey = (billingRunId: string) => `billing-run:${billingRunId}`;

/**
 * The Stripe idempotency key of a run's PaymentIntent, from the run and its attempt (each attempt
 * is its own run row): a retry after a crash gets the same PaymentIntent back, never a second
 * charge, and the next dunning attempt gets a new one.
 */
export const paymentIntentKey = (billingRunId: string, attempt: number) => `paycron-billing-run-${billingRunId}-attempt-${attempt}`;
