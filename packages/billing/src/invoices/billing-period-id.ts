import { BillingError } from "../errors.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function periodNotFound(billingPeriodId: string): BillingError {
  return new BillingError("billing_period_not_found", `no billing period with id ${JSON.stringify(billingPeriodId)}`, {
    details: { billingPeriodId },
  });
}

/** A malformed id is a period that does not exist, not a Postgres syntax error. */
export function requirePeriodId(billingPeriodId: string): void {
  if (!UUID.test(billingPeriodId)) throw periodNotFound(billingPeriodId);
}
