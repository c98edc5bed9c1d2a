import type { Payment, Tx } from "@paycron/db";

/**
 * The payment a Stripe charge paid, locked for the caller's transaction. By the charge id first;
 * by its PaymentIntent when the charge id was never recorded (the payment's outcome may have
 * come from the PaymentIntent alone).
 */
export async function lockChargePayment(tx: Tx, ref: { chargeId: string | null; paymentIntentId: string | null }): Promise<Payment | undefined> {
  if (ref.chargeId) {
    const byCharge = await tx.selectFrom("payments").selectAll().where("stripe_charge_id", "=", ref.chargeId).forUpdate().executeTakeFirst();
    if (byCharge) return byCharge;
  }
  if (!ref.paymentIntentId) return undefined;
  return tx.selectFrom("payments").selectAll().where("stripe_payment_intent_id", "=", ref.paymentIntentId).forUpdate().executeTakeFirst();
}
