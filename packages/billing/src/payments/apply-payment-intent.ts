import { isDomainError } from "@paycron/core";
import { withTransaction, type Tx } from "@paycron/db";
import type { Stripe } from "@paycron/stripe";
import type { BillingDbDeps } from "../deps.ts";
import { applyPaymentState, type ApplyPaymentStateResult } from "./apply-payment-state.ts";
import type { PaymentState } from "./payment-state.ts";

export type PaymentIntentLike = Pick<Stripe.PaymentIntent, "id" | "status" | "amount" | "currency" | "metadata" | "latest_charge" | "last_payment_error">;

export type ApplyPaymentIntentResult = ApplyPaymentStateResult | { applied: false; ignored: string };

/** Where a PaymentIntent's state lands: null for a state that is not an outcome (not yet confirmed). */
export function paymentStateOf(pi: PaymentIntentLike): PaymentState | null {
  const base = {
    paymentIntentId: pi.id,
    chargeId: typeof pi.latest_charge === "string" ? pi.latest_charge : (pi.latest_charge?.id ?? null),
    amount: pi.amount,
    currency: pi.currency,
    failureCode: null,
    failureMessage: null,
  };
  switch (pi.status) {
    case "succeeded":
    case "processing":
    case "requires_action":
    case "canceled":
      return { ...base, status: pi.status as "succeeded" | "processing" | "requires_action" | "canceled" };
    case "requires_payment_method": {
      // After a confirmation, this is how Stripe says the attempt failed; before one, nothing happened yet.
      const error = pi.last_payment_error;
      if (!error) return null;
      return { ...base, status: "failed", failureCode: error.decline_code ?? error.code ?? "payment_failed", failureMessage: error.message ?? null };
    }
    default:
      return null;
  }
}

/**
 * Applies a PaymentIntent's state to the billing run it pays (named by its `billing_run_id`
 * metadata), from the inline confirm or from any payment_intent.* webhook: the same function, so
 * the two can arrive in any order and any number of times.
 */
export async function applyPaymentIntent(
  deps: BillingDbDeps,
  input: { paymentIntent: PaymentIntentLike; observedAt: Date },
  tx?: Tx,
): Promise<ApplyPaymentIntentResult> {
  const pi = input.paymentIntent;
  const billingRunId = pi.metadata?.billing_run_id;
  if (!billingRunId || !/^[0-9a-f-]{36}$/i.test(billingRunId)) return { applied: false, ignored: `PaymentIntent ${pi.id} has no billing_run_id metadata: not a Paycron charge` };
  const state = paymentStateOf(pi);
  if (!state) return { applied: false, ignored: `PaymentIntent ${pi.id} is ${pi.status}: not an outcome` };
  const apply = (t: Tx) =>
    applyPaymentState(t, { billingRunId, state, observedAt: input.observedAt, now: deps.clock.now(), clock: deps.clock, logger: deps.logger });
  try {
    return await (tx ? apply(tx) : withTransaction(deps.db, apply));
  } catch (error) {
    // The run is looked up (and locked) once, by applyPaymentState; a run we do not have means a
    // PaymentIntent of another database sharing the Stripe account.
    if (!isDomainError(error, "billing_run_not_found")) throw error;
    return { applied: false, ignored: `PaymentIntent ${pi.id} names billing run ${billingRunId}, which this database does not have` };
  }
}
