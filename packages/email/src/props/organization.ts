import { z } from "zod";
import { baseEmailSchema, customerRefSchema, instantSchema, linkSchema, moneySchema } from "./common.ts";

/** `org-dispute-opened`: To the organization: a customer disputed a payment with their bank. */
export const orgDisputeOpenedProps = baseEmailSchema.extend({
  customer: customerRefSchema,
  amount: moneySchema,
  /** The card network's reason code as Stripe gives it ("fraudulent", "product_not_received", …). */
  reason: z.string().min(1),
  evidenceDueBy: instantSchema,
  disputeUrl: linkSchema,
});

/** `org-dunning-exhausted`: To the organization: every scheduled attempt failed; no more automatic retries. */
export const orgDunningExhaustedProps = baseEmailSchema.extend({
  customer: customerRefSchema,
  amount: moneySchema,
  invoiceNumber: z.string().min(1),
  attempts: z.number().int().positive(),
  lastAttemptAt: instantSchema,
  invoiceUrl: linkSchema,
});

/** `org-payment-failed`: To the organization: an attempt to collect an invoice failed; another is scheduled. */
export const orgPaymentFailedProps = baseEmailSchema.extend({
  customer: customerRefSchema,
  amount: moneySchema,
  invoiceNumber: z.string().min(1),
  attempt: z.number().int().positive(),
  /** The processor's decline message or code, shown as given (e.g. Stripe's "insufficient_funds"). */
  failureReason: z.string().min(1).optional(),
  nextRetryAt: instantSchema,
  invoiceUrl: linkSchema,
});

/** `org-payment-succeeded`: To the organization: a customer paid an invoice. */
export const orgPaymentSucceededProps = baseEmailSchema.extend({
  customer: customerRefSchema,
  amount: moneySchema,
  invoiceNumber: z.string().min(1),
  paidAt: instantSchema,
  invoiceUrl: linkSchema,
});
