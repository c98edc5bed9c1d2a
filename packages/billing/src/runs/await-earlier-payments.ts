import { assertNotInTransaction, type BillingRun } from "@paycron/db";
import type { BillingDeps } from "../deps.ts";
import { applyPaymentIntent, paymentStateOf } from "../payments/apply-payment-intent.ts";

/**
 * Before a retry charges a period again: a payment of it that we gave up on while it was still
 * processing (a bank debit past its window) may yet settle. Stripe is asked about each; what it
 * knows is applied (a late success pays the invoice, and this run then finds nothing to collect).
 * Returns true while one is still processing at Stripe: the retry must wait, or the customer could
 * pay twice. Once Stripe has failed it, it can never succeed, so the retry is safe.
 */
export async function earlierPaymentStillProcessing(deps: BillingDeps, run: Pick<BillingRun, "billing_period_id">): Promise<boolean> {
  const timedOut = await deps.db
    .selectFrom("payments")
    .innerJoin("billing_runs", "billing_runs.id", "payments.billing_run_id")
    .select("payments.stripe_payment_intent_id")
    .where("billing_runs.billing_period_id", "=", run.billing_period_id)
    .where("payments.failure_code", "=", "processing_timeout")
    .where("payments.stripe_payment_intent_id", "is not", null)
    .execute();
  if (timedOut.length === 0) return false;
  assertNotInTransaction(deps.db, "asking Stripe about earlier payments");
  let processing = false;
  for (const { stripe_payment_intent_id: id } of timedOut) {
    const paymentIntent = await deps.stripe.paymentIntents.retrieve(id!);
    const state = paymentStateOf(paymentIntent);
    if (state?.status === "processing") processing = true;
    else if (state) await applyPaymentIntent(deps, { paymentIntent, observedAt: deps.clock.now() });
  }
  return processing;
}
