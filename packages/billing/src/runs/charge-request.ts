import type { BillingRun, Invoice, Subscription, Tx } from "@paycron/db";

/** Everything the Stripe call needs, fixed in the transaction before it. */
export interface ChargeRequest {
  billingRunId: string;
  attempt: number;
  subscriptionId: string;
  invoiceId: string;
  invoiceNumber: string;
  amount: number;
  currency: string;
  stripeCustomerId: string;
  stripePaymentMethodId: string;
}

export type ChargeFailure = { failure: { failureCode: string; failureMessage: string } };

/** A charge request before its invoice is written (the invoice's id and number come last). */
export type ChargeDraft = Omit<ChargeRequest, "invoiceId" | "invoiceNumber" | "currency">;

/** The draft completed with the invoice it collects. */
export const withInvoice = (draft: ChargeDraft, invoice: Invoice): ChargeRequest => ({
  ...draft,
  invoiceId: invoice.id,
  invoiceNumber: invoice.number ?? invoice.id,
  currency: invoice.currency,
});

/**
 * Fixes what this attempt charges, and with which payment method, the first time it runs: the
 * method the ladder chose for the attempt (a backup), else the subscription's default, else the
 * customer's; `amountDue`, what the period's invoice has (or will have) due. Recorded on the run (charge_requested_at), so a run
 * re-executed after a crash sends Stripe the very same request under the same key, even if the
 * customer changed cards meanwhile. A run with no usable payment method fails here, visibly,
 * without a call to Stripe.
 */
export async function chargeRequestOf(
  tx: Tx,
  input: { run: BillingRun; subscription: Subscription; amountDue: number; now: Date },
): Promise<ChargeDraft | ChargeFailure> {
  const { run, subscription, now } = input;
  const customer = await tx.selectFrom("customers").select(["stripe_customer_id"]).where("id", "=", subscription.customer_id).executeTakeFirstOrThrow();
  if (!customer.stripe_customer_id) {
    return { failure: { failureCode: "no_stripe_customer", failureMessage: `customer ${subscription.customer_id} has no Stripe customer` } };
  }

  let method: PaymentMethodRef | null;
  let amount = run.charge_amount;
  if (run.charge_requested_at === null || amount === null) {
    method = await livePaymentMethod(tx, subscription, run.payment_method_id);
    amount = input.amountDue;
    if (!method) {
      return { failure: { failureCode: "no_payment_method", failureMessage: `subscription ${subscription.id} has no usable payment method` } };
    }
    await tx
      .updateTable("billing_runs")
      .set({ payment_method_id: method.id, charge_amount: amount, charge_requested_at: now, updated_at: now })
      .where("id", "=", run.id)
      .execute();
  } else {
    method = await tx.selectFrom("payment_methods").select(["id", "stripe_payment_method_id"]).where("id", "=", run.payment_method_id!).executeTakeFirstOrThrow();
  }
  return {
    billingRunId: run.id,
    attempt: run.attempt,
    subscriptionId: subscription.id,
    amount,
    stripeCustomerId: customer.stripe_customer_id,
    stripePaymentMethodId: method.stripe_payment_method_id,
  };
}

interface PaymentMethodRef {
  id: string;
  stripe_payment_method_id: string;
}

async function livePaymentMethod(tx: Tx, subscription: Subscription, chosen: string | null): Promise<PaymentMethodRef | null> {
  const candidates = [chosen, subscription.default_payment_method_id, subscription.backup_payment_method_id].filter((id): id is string => id !== null);
  const rows = await tx
    .selectFrom("payment_methods")
    .select(["id", "is_default", "stripe_payment_method_id"])
    .where("customer_id", "=", subscription.customer_id)
    .where("detached_at", "is", null)
    .where((eb) => (candidates.length > 0 ? eb.or([eb("id", "in", candidates), eb("is_default", "=", true)]) : eb("is_default", "=", true)))
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return candidates.map((id) => byId.get(id)).find((r) => r !== undefined) ?? rows.find((r) => r.is_default) ?? null;
}
