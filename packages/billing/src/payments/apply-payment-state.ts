import { sql } from "kysely";
import type { Clock, Logger } from "@paycron/core";
import type { Payment, Tx } from "@paycron/db";
import { afterFailedAttempt } from "../dunning/after-failed-attempt.ts";
import { BillingError } from "../errors.ts";
import { onInvoicePaid } from "./on-invoice-paid.ts";
import { isFailure, isPending, supersedes, type PaymentState } from "./payment-state.ts";
import { paymentNeedsAction } from "../notices/follow-ups.ts";

export interface ApplyPaymentStateInput {
  billingRunId: string;
  state: PaymentState;
  /** When Stripe reported this state (the event's `created`), or now for an inline result. */
  observedAt: Date;
  now: Date;
  clock: Clock;
  logger: Logger;
}

export type ApplyPaymentStateResult =
  | { applied: true; paymentId: string; from: Payment["status"] | null; to: Payment["status"] }
  /** The stored state is as new or newer: a duplicate or out-of-order report. */
  | { applied: false; paymentId: string; status: Payment["status"] };

/**
 * The one place a payment's outcome takes effect, for the inline confirm, every payment_intent.*
 * webhook and our own timeout alike, in the caller's transaction. Locks in the order every billing
 * transaction uses (subscription, run, invoice, payment), records the state when it supersedes the
 * stored one, and applies what the transition means exactly once: a success pays the invoice and
 * reactivates the subscription; a failure ends the run and hands it to the dunning ladder; a
 * pending state parks the run until Stripe reports the end.
 */
export async function applyPaymentState(tx: Tx, input: ApplyPaymentStateInput): Promise<ApplyPaymentStateResult> {
  const { state, now } = input;
  const subscription = await tx
    .selectFrom("subscriptions")
    .selectAll()
    .where("id", "=", (eb) => eb.selectFrom("billing_runs").select("subscription_id").where("id", "=", input.billingRunId))
    .forUpdate()
    .executeTakeFirst();
  if (!subscription) throw new BillingError("billing_run_not_found", `no billing run ${input.billingRunId}`);
  const run = await tx.selectFrom("billing_runs").selectAll().where("id", "=", input.billingRunId).forUpdate().executeTakeFirstOrThrow();
  const invoice = await tx.selectFrom("invoices").selectAll().where("billing_period_id", "=", run.billing_period_id).forUpdate().executeTakeFirst();
  if (!invoice) throw new BillingError("invoice_missing", `billing run ${run.id} has a payment but its period has no invoice`);

  const existing = await tx.selectFrom("payments").selectAll().where("billing_run_id", "=", run.id).forUpdate().executeTakeFirst();
  if (existing?.stripe_payment_intent_id && state.paymentIntentId && existing.stripe_payment_intent_id !== state.paymentIntentId) {
    throw new BillingError(
      "payment_intent_mismatch",
      `billing run ${run.id} is paid by ${existing.stripe_payment_intent_id}, not ${state.paymentIntentId}: one run, one PaymentIntent`,
    );
  }
  if (existing && !supersedes({ status: existing.status, at: existing.last_event_at }, { status: state.status, at: input.observedAt })) {
    return { applied: false, paymentId: existing.id, status: existing.status };
  }

  const fields = {
    status: state.status,
    stripe_payment_intent_id: state.paymentIntentId ?? existing?.stripe_payment_intent_id ?? null,
    stripe_charge_id: state.chargeId ?? existing?.stripe_charge_id ?? null,
    failure_code: isFailure(state.status) ? state.failureCode : null,
    failure_message: isFailure(state.status) ? state.failureMessage : null,
    settled_at: isPending(state.status) ? null : now,
    last_event_at: input.observedAt,
    updated_at: now,
  };
  const payment = existing
    ? await tx.updateTable("payments").set(fields).where("id", "=", existing.id).returningAll().executeTakeFirstOrThrow()
    : await tx
        .insertInto("payments")
        .values({
          ...fields,
          invoice_id: invoice.id,
          billing_run_id: run.id,
          customer_id: invoice.customer_id,
          payment_method_id: run.payment_method_id,
          amount: state.amount,
          currency: state.currency.toUpperCase(),
          created_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
  const from = existing?.status ?? null;
  const live = run.status === "scheduled" || run.status === "in_progress" || run.status === "awaiting_payment";

  if (state.status === "succeeded") {
    if (invoice.amount_due < payment.amount) {
      // Paid already by another attempt (a payment timed out, was retried, then settled anyway):
      // the money is recorded on its payment; refunding it is an operator's call for now.
      input.logger.error({ paymentId: payment.id, invoiceId: invoice.id, amount: payment.amount, amountDue: invoice.amount_due }, "payment succeeded on an invoice already paid: refund it");
    } else {
      await tx
        .updateTable("invoices")
        .set({ amount_paid: sql`amount_paid + ${payment.amount}`, amount_due: sql`amount_due - ${payment.amount}`, updated_at: now })
        .where("id", "=", invoice.id)
        .execute();
      if (invoice.amount_due === payment.amount) await onInvoicePaid(tx, { invoiceId: invoice.id, subscription, now, clock: input.clock });
    }
    if (live) await setRun(tx, run.id, { status: "succeeded", completed_at: now }, state, now);
  } else if (isPending(state.status)) {
    if (live) await setRun(tx, run.id, { status: "awaiting_payment" }, state, now);
    if (state.status === "requires_action" && from !== "requires_action") await paymentNeedsAction(tx, input.clock, payment.id);
  } else if (live) {
    await setRun(tx, run.id, { status: "failed", completed_at: now, error: JSON.stringify({ code: state.failureCode, message: state.failureMessage }) }, state, now);
    await afterFailedAttempt(tx, { subscription, run, invoice, paymentId: payment.id, now, clock: input.clock, logger: input.logger });
  }
  input.logger.info({ billingRunId: run.id, paymentId: payment.id, from, to: payment.status, paymentIntentId: payment.stripe_payment_intent_id }, "payment state applied");
  return { applied: true, paymentId: payment.id, from, to: payment.status };
}

async function setRun(
  tx: Tx,
  id: string,
  set: { status: "succeeded" | "failed" | "awaiting_payment"; completed_at?: Date; error?: string },
  state: PaymentState,
  now: Date,
): Promise<void> {
  await tx
    .updateTable("billing_runs")
    .set({ ...set, lease_until: null, stripe_payment_intent_id: state.paymentIntentId ?? undefined, last_event_at: now, updated_at: now })
    .where("id", "=", id)
    .execute();
}
