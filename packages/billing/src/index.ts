export { BillingError, type BillingErrorCode } from "./errors.ts";
export {
  BILLING_INTERVALS,
  periodBounds,
  periodContaining,
  type BillingCadence,
  type BillingInterval,
  type IndexedPeriod,
  type PeriodBounds,
  type PeriodBoundsInput,
} from "./periods/period-bounds.ts";
export {
  advanceSubscriptionPeriod,
  advanceSubscriptionPeriods,
  RUN_BATCH_SIZE,
  type AdvancePeriodDeps,
  type AdvanceSubscriptionPeriodInput,
  type AdvanceSubscriptionPeriodResult,
  type OpenedPeriod,
  type SkipReason,
} from "./periods/advance-period.ts";
export * from "./invoices/index.ts";
export * from "./payment-methods/index.ts";
export * from "./sweeps/index.ts";
export * from "./invariants/index.ts";
export * from "./charges/index.ts";
export type { BillingDbDeps, BillingDeps } from "./deps.ts";
export { createSubscription, type CreatedSubscription, type CreateSubscriptionInput } from "./subscriptions/create-subscription.ts";
export { expireIncompleteSubscription, type ExpireIncompleteResult } from "./subscriptions/expire-incomplete.ts";
export { BILLING_RUN_LEASE_MS, claimBillingRun, claimBillingRuns, releaseBillingRun } from "./runs/claim-billing-run.ts";
export { executeBillingRun, executeBillingRuns, type ExecuteBillingRunResult, type ExecuteBillingRunsInput } from "./runs/execute-billing-run.ts";
export { billingRunTaskKey, paymentIntentKey } from "./runs/billing-run-key.ts";
export { applyPaymentIntent, paymentStateOf, type ApplyPaymentIntentResult, type PaymentIntentLike } from "./payments/apply-payment-intent.ts";
export { applyPaymentIntentEvent } from "./payments/apply-payment-intent-event.ts";
export { applyPaymentState, type ApplyPaymentStateInput, type ApplyPaymentStateResult } from "./payments/apply-payment-state.ts";
export { supersedes, type PaymentState } from "./payments/payment-state.ts";
export { paymentTimeoutMs } from "./payments/payment-timeouts.ts";
export { timeoutPayment, type TimeoutPaymentResult } from "./payments/timeout-payment.ts";
export { afterFailedAttempt, INCOMPLETE_EXPIRY_MS, retryPaymentMethod, scheduleRetry } from "./dunning/after-failed-attempt.ts";
export { applyFinalAction } from "./dunning/final-action.ts";
export { finalizeDunning, type FinalizeDunningResult } from "./dunning/finalize-dunning.ts";
export { retryWithNewPaymentMethod } from "./dunning/retry-with-new-payment-method.ts";
export { welcomeCustomer } from "./customers/welcome-customer.ts";
