import type { Organization } from "@paycron/db";
import { emailKey } from "@paycron/email";
import type { ParsedTaskPayload } from "@paycron/tasks";
import type { NotificationDeps } from "../deps.ts";
import { customerRef, iso, skip, type NoticeOrSkip, type Skip } from "../notice.ts";
import { customerRow, invoiceRow, organizationRow, paymentRow } from "../rows.ts";
import { failedPaymentWithRetry } from "./failed-payment.ts";

/*
 * The organization's own emails go to its billing_email, in English, dated in its time zone. An
 * organization without one has chosen not to get them: skipped, not failed.
 */
const ORGANIZATION_LOCALE = "en";

function noRecipient(organization: Organization): Skip | null {
  return organization.billing_email ? null : skip(`organization ${organization.id} has no billing_email`);
}

export async function orgPaymentSucceeded(deps: NotificationDeps, payload: { invoiceId: string }): Promise<NoticeOrSkip<"org-payment-succeeded">> {
  const invoice = await invoiceRow(deps.db, payload.invoiceId);
  if (invoice.status !== "paid" || !invoice.paid_at || !invoice.number) return skip(`invoice ${invoice.id} is ${invoice.status}, not paid`);
  const [organization, customer] = await Promise.all([organizationRow(deps.db, invoice.organization_id), customerRow(deps.db, invoice.customer_id)]);
  return (
    noRecipient(organization) ?? {
      template: "org-payment-succeeded",
      to: organization.billing_email!,
      locale: ORGANIZATION_LOCALE,
      timeZone: organization.timezone,
      idempotencyKey: emailKey("org-payment-succeeded", invoice.id, "paid"),
      props: {
        organizationName: organization.name,
        customer: customerRef(customer),
        amount: { amount: invoice.amount_paid, currency: invoice.currency },
        invoiceNumber: invoice.number,
        paidAt: iso(invoice.paid_at),
        invoiceUrl: deps.links.invoice(invoice.id),
      },
    }
  );
}

export async function orgPaymentFailed(deps: NotificationDeps, payload: { paymentId: string }): Promise<NoticeOrSkip<"org-payment-failed">> {
  const failed = await failedPaymentWithRetry(deps, payload.paymentId);
  if ("skip" in failed) return failed;
  const { payment, invoice, nextRetryAt } = failed;
  const [organization, customer, run] = await Promise.all([
    organizationRow(deps.db, invoice.organization_id),
    customerRow(deps.db, invoice.customer_id),
    deps.db.selectFrom("billing_runs").select("attempt").where("id", "=", payment.billing_run_id!).executeTakeFirstOrThrow(),
  ]);
  return (
    noRecipient(organization) ?? {
      template: "org-payment-failed",
      to: organization.billing_email!,
      locale: ORGANIZATION_LOCALE,
      timeZone: organization.timezone,
      idempotencyKey: emailKey("org-payment-failed", payment.id, "failed"),
      props: {
        organizationName: organization.name,
        customer: customerRef(customer),
        amount: { amount: payment.amount, currency: payment.currency },
        invoiceNumber: invoice.number,
        attempt: run.attempt,
        ...(payment.failure_code || payment.failure_message ? { failureReason: (payment.failure_message ?? payment.failure_code)! } : {}),
        nextRetryAt: iso(nextRetryAt),
        invoiceUrl: deps.links.invoice(invoice.id),
      },
    }
  );
}

/** Every attempt of the ladder failed: the invoice is uncollectible and the final action applied. */
export async function orgDunningExhausted(deps: NotificationDeps, payload: { invoiceId: string }): Promise<NoticeOrSkip<"org-dunning-exhausted">> {
  const invoice = await invoiceRow(deps.db, payload.invoiceId);
  if (invoice.status !== "uncollectible" || !invoice.number) return skip(`invoice ${invoice.id} is ${invoice.status}, not uncollectible`);
  const [organization, customer, last] = await Promise.all([
    organizationRow(deps.db, invoice.organization_id),
    customerRow(deps.db, invoice.customer_id),
    deps.db
      .selectFrom("payments")
      .innerJoin("billing_runs", "billing_runs.id", "payments.billing_run_id")
      .select(["billing_runs.attempt", "payments.settled_at", "payments.updated_at"])
      .where("payments.invoice_id", "=", invoice.id)
      .where("payments.status", "=", "failed")
      .orderBy("billing_runs.attempt", "desc")
      .executeTakeFirst(),
  ]);
  if (!last) return skip(`invoice ${invoice.id} has no failed payment`);
  return (
    noRecipient(organization) ?? {
      template: "org-dunning-exhausted",
      to: organization.billing_email!,
      locale: ORGANIZATION_LOCALE,
      timeZone: organization.timezone,
      idempotencyKey: emailKey("org-dunning-exhausted", invoice.id, "uncollectible"),
      props: {
        organizationName: organization.name,
        customer: customerRef(customer),
        amount: { amount: invoice.amount_due, currency: invoice.currency },
        invoiceNumber: invoice.number,
        attempts: last.attempt,
        lastAttemptAt: iso(last.settled_at ?? last.updated_at),
        invoiceUrl: deps.links.invoice(invoice.id),
      },
    }
  );
}

/** A customer disputed a payment: what the bank said and until when evidence is taken, from the event. */
export async function orgDisputeOpened(deps: NotificationDeps, payload: ParsedTaskPayload<"notifications-org-dispute-opened">): Promise<NoticeOrSkip<"org-dispute-opened">> {
  const payment = await paymentRow(deps.db, payload.paymentId);
  const [organization, customer] = await Promise.all([
    deps.db
      .selectFrom("organizations")
      .innerJoin("invoices", "invoices.organization_id", "organizations.id")
      .selectAll("organizations")
      .where("invoices.id", "=", payment.invoice_id)
      .executeTakeFirstOrThrow(),
    customerRow(deps.db, payment.customer_id),
  ]);
  return (
    noRecipient(organization) ?? {
      template: "org-dispute-opened",
      to: organization.billing_email!,
      locale: ORGANIZATION_LOCALE,
      timeZone: organization.timezone,
      idempotencyKey: emailKey("org-dispute-opened", payment.id, payload.disputeId),
      props: {
        organizationName: organization.name,
        customer: customerRef(customer),
        amount: { amount: payload.amount, currency: payload.currency.toUpperCase() },
        reason: payload.reason,
        evidenceDueBy: payload.evidenceDueBy,
        disputeUrl: deps.links.dispute(payment.id),
      },
    }
  );
}
