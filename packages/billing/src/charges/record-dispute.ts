import { withTransaction } from "@paycron/db";
import { disputeOpened } from "../notices/follow-ups.ts";
import type { Stripe } from "@paycron/stripe";
import { stripeEventObject, stripeIdOf, type StripeEventInput, type StripeEventOutcome } from "../payment-methods/stripe-event-object.ts";
import { lockChargePayment } from "./lock-charge-payment.ts";
import type { BillingDbDeps } from "../deps.ts";

/**
 * `charge.dispute.created`: the customer's bank contests a charge. The payment records the dispute
 * and when it was opened, and its invoice is flagged. A payment keeps its latest dispute (by
 * Stripe's `created`, then id): a second dispute replaces an older one and is logged, and an
 * older one delivered late changes nothing. A duplicate changes nothing. Money moves with the
 * dispute's outcome, not here.
 */
export async function recordDispute(deps: BillingDbDeps, input: StripeEventInput): Promise<StripeEventOutcome> {
  const { object: dispute } = stripeEventObject<Stripe.Dispute>(input.event, "dispute");
  const openedAt = new Date(dispute.created * 1000);
  const now = deps.clock.now();
  const result = await withTransaction(deps.db, async (tx) => {
    const payment = await lockChargePayment(tx, { chargeId: stripeIdOf(dispute.charge), paymentIntentId: stripeIdOf(dispute.payment_intent) });
    if (!payment) return null;
    const previous = payment.stripe_dispute_id === null ? null : { id: payment.stripe_dispute_id, openedAt: payment.disputed_at! };
    const isLatest = previous === null || isNewer({ id: dispute.id, openedAt }, previous);
    if (isLatest && previous?.id !== dispute.id) {
      await tx
        .updateTable("payments")
        .set({ stripe_dispute_id: dispute.id, disputed_at: openedAt, stripe_charge_id: payment.stripe_charge_id ?? stripeIdOf(dispute.charge), updated_at: now })
        .where("id", "=", payment.id)
        .execute();
    }
    // The invoice shows its latest dispute too, whichever payment of it was disputed.
    await tx
      .updateTable("invoices")
      .set({ disputed_at: openedAt, updated_at: now })
      .where("id", "=", payment.invoice_id)
      .where((eb) => eb.or([eb("disputed_at", "is", null), eb("disputed_at", "<", openedAt)]))
      .execute();
    // Every dispute is the organization's to answer, a late older one too (once per dispute, by its key).
    await disputeOpened(tx, deps.clock, {
      paymentId: payment.id,
      disputeId: dispute.id,
      reason: dispute.reason,
      amount: dispute.amount,
      currency: dispute.currency,
      // Stripe sets due_by on every dispute that takes evidence; a week is the cautious reading without one.
      evidenceDueBy: new Date((dispute.evidence_details?.due_by ?? dispute.created + 7 * 86_400) * 1000).toISOString(),
    });
    return { payment, previous, isLatest };
  });
  if (!result) return { ignored: "unknown charge" };
  const { payment, previous } = result;
  const log = { paymentId: payment.id, invoiceId: payment.invoice_id, disputeId: dispute.id, reason: dispute.reason };
  if (previous && previous.id !== dispute.id) {
    deps.logger.warn({ ...log, previousDisputeId: previous.id, recorded: result.isLatest ? dispute.id : previous.id }, "another dispute on an already disputed payment");
  } else {
    deps.logger.info(log, previous ? "dispute already recorded" : "dispute recorded");
  }
  return "processed";
}

/** Stripe's `created` has second precision: two disputes in one second are ordered by id, so every replay picks the same. */
function isNewer(a: { id: string; openedAt: Date }, b: { id: string; openedAt: Date }): boolean {
  const byTime = a.openedAt.getTime() - b.openedAt.getTime();
  return byTime !== 0 ? byTime > 0 : a.id > b.id;
}
