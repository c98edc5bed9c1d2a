import { assertNotInTransaction, withTransaction } from "@paycron/db";
import type { BillingDeps } from "../deps.ts";
import { applyPaymentIntent, paymentStateOf, type PaymentIntentLike } from "./apply-payment-intent.ts";
import { applyPaymentState } from "./apply-payment-state.ts";
import { isPending } from "./payment-state.ts";
import { paymentTimeoutMs } from "./payment-timeouts.ts";

export type TimeoutPaymentResult =
  | { outcome: "settled" | "not_due" }
  /** Stripe knew the outcome (a webhook we missed): applied. */
  | { outcome: "reconciled"; status: string }
  /** Still pending at Stripe: given up on (requires_action canceled at Stripe, processing failed here). */
  | { outcome: "timed_out"; status: string };

/**
 * A payment stuck `processing` or `requires_action` past its window (per payment method type, from
 * the organization's `payment_timeout_hours`: hours for a card, days for a bank debit). Stripe is
 * asked first, since a missed webhook is the likeliest cause. A PaymentIntent still waiting for the
 * customer is canceled at Stripe (then it can never succeed behind our back); one still processing
 * cannot be canceled, so the payment is failed here and the ladder goes on. If it settles after
 * all, the success outranks that failure and is applied as any success is: no money is lost.
 */
export async function timeoutPayment(deps: BillingDeps, input: { paymentId: string }): Promise<TimeoutPaymentResult> {
  const now = deps.clock.now();
  const payment = await deps.db
    .selectFrom("payments")
    .innerJoin("customers", "customers.id", "payments.customer_id")
    .innerJoin("organizations", "organizations.id", "customers.organization_id")
    .leftJoin("payment_methods", "payment_methods.id", "payments.payment_method_id")
    .select(["payments.id", "payments.status", "payments.created_at", "payments.billing_run_id", "payments.stripe_payment_intent_id", "payments.amount", "payments.currency", "payment_methods.type", "organizations.payment_timeout_hours"])
    .where("payments.id", "=", input.paymentId)
    .executeTakeFirst();
  if (!payment || !isPending(payment.status) || !payment.billing_run_id) return { outcome: "settled" };
  if (payment.created_at.getTime() + paymentTimeoutMs(payment.payment_timeout_hours, payment.type) > now.getTime()) return { outcome: "not_due" };

  assertNotInTransaction(deps.db, "timing out a payment");
  let pi: PaymentIntentLike | null = payment.stripe_payment_intent_id ? await deps.stripe.paymentIntents.retrieve(payment.stripe_payment_intent_id) : null;
  const known = pi && paymentStateOf(pi);
  if (pi && known && !isPending(known.status)) {
    await applyPaymentIntent(deps, { paymentIntent: pi, observedAt: now });
    return { outcome: "reconciled", status: known.status };
  }
  if (pi?.status === "requires_action") {
    pi = await deps.stripe.paymentIntents.cancel(pi.id, { cancellation_reason: "abandoned" }, { idempotencyKey: `paycron-payment-timeout-${payment.id}` });
    await applyPaymentIntent(deps, { paymentIntent: pi, observedAt: deps.clock.now() });
    return { outcome: pi.status === "canceled" ? "timed_out" : "reconciled", status: pi.status };
  }
  const billingRunId = payment.billing_run_id;
  await withTransaction(deps.db, (tx) =>
    applyPaymentState(tx, {
      billingRunId,
      state: {
        status: "failed",
        paymentIntentId: payment.stripe_payment_intent_id,
        chargeId: null,
        amount: payment.amount,
        currency: payment.currency,
        failureCode: "processing_timeout",
        failureMessage: `still processing after its ${payment.type ?? "card"} window`,
      },
      observedAt: now,
      now,
      clock: deps.clock,
      logger: deps.logger,
    }),
  );
  deps.logger.warn({ paymentId: payment.id, paymentIntentId: payment.stripe_payment_intent_id }, "payment timed out while processing");
  return { outcome: "timed_out", status: "failed" };
}
