import { sql } from "kysely";
import { withTransaction, type PaymentStatus } from "@paycron/db";
import type { Stripe } from "@paycron/stripe";
import type { BillingDbDeps } from "../deps.ts";
import { BillingError } from "../errors.ts";
import { stripeEventObject, stripeIdOf, type StripeEventInput, type StripeEventOutcome } from "../payment-methods/stripe-event-object.ts";
import { lockChargePayment } from "./lock-charge-payment.ts";

/** A refund is of money received: a payment in any other state has not been recorded as paid yet. */
const PAID: PaymentStatus[] = ["succeeded", "refunded"];

/**
 * `charge.refunded`: money given back on a charge. Stripe's `amount_refunded` is the charge's
 * cumulative total, so the stored total moves to the larger of the two: an older event delivered
 * late never lowers it, and a duplicate changes nothing. What the total grew by leaves the
 * invoice's amount_paid for its amount_refunded (invariant 2: succeeded payments − refunds =
 * amount_paid); amount_due does not move, so a paid invoice stays paid. A payment refunded in full
 * becomes `refunded`. One transaction, under the payment's row lock.
 */
export async function recordRefund(deps: BillingDbDeps, input: StripeEventInput): Promise<StripeEventOutcome> {
  const { object: charge } = stripeEventObject<Stripe.Charge>(input.event, "charge");
  const now = deps.clock.now();
  const result = await withTransaction(deps.db, async (tx) => {
    const payment = await lockChargePayment(tx, { chargeId: charge.id, paymentIntentId: stripeIdOf(charge.payment_intent) });
    if (!payment) return null;
    const details = { paymentId: payment.id, chargeId: charge.id, status: payment.status };
    if (!PAID.includes(payment.status)) {
      throw new BillingError("refund_before_payment_settled", `charge ${charge.id} was refunded but its payment ${payment.id} is ${payment.status}, not succeeded yet`, {
        retryable: true,
        details,
      });
    }
    if (charge.amount_refunded > payment.amount) {
      throw new BillingError("refund_exceeds_payment", `charge ${charge.id} has ${charge.amount_refunded} refunded, more than its payment ${payment.id} of ${payment.amount}`, {
        details: { ...details, amount: payment.amount, amountRefunded: charge.amount_refunded },
      });
    }
    const amountRefunded = Math.max(payment.amount_refunded, charge.amount_refunded);
    const delta = amountRefunded - payment.amount_refunded;
    if (delta === 0 && payment.stripe_charge_id !== null) return { payment, delta, amountRefunded };
    await tx
      .updateTable("payments")
      .set({
        amount_refunded: amountRefunded,
        status: amountRefunded === payment.amount ? "refunded" : payment.status,
        stripe_charge_id: payment.stripe_charge_id ?? charge.id,
        updated_at: now,
      })
      .where("id", "=", payment.id)
      .execute();
    if (delta > 0) {
      await tx
        .updateTable("invoices")
        .set({ amount_paid: sql<number>`amount_paid - ${delta}`, amount_refunded: sql<number>`amount_refunded + ${delta}`, updated_at: now })
        .where("id", "=", payment.invoice_id)
        .execute();
    }
    return { payment, delta, amountRefunded };
  });
  if (!result) return { ignored: "unknown charge" };
  const { payment, delta, amountRefunded } = result;
  deps.logger.info({ paymentId: payment.id, invoiceId: payment.invoice_id, chargeId: charge.id, refunded: delta, amountRefunded }, delta > 0 ? "refund recorded" : "refund already recorded");
  return "processed";
}
