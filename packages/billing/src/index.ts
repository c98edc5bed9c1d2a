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
