import { z } from "zod";

/*
 * One task per email (`notifications-<template>`). A payload names the rows the email is about;
 * the task reads them when it runs, so the email says what is true when it is sent, and an email
 * that no longer applies (a failed payment whose invoice got paid meanwhile) is skipped. Facts
 * that only the triggering event knows (a dispute's reason and deadline) travel in the payload.
 */
const invoice = z.object({ invoiceId: z.uuid() });
const payment = z.object({ paymentId: z.uuid() });
const subscription = z.object({ subscriptionId: z.uuid() });
const customer = z.object({ customerId: z.uuid() });
const usage = subscription.extend({ meterId: z.uuid(), billingPeriodId: z.uuid() });

export const notificationTaskPayloads = {
  "notifications-payment-receipt": invoice,
  "notifications-payment-failed": payment,
  "notifications-payment-action-required": payment,
  /** Billing sends 3, 1 and 0 (the day it ends) days before a trial ends. */
  "notifications-trial-ending": subscription.extend({ daysLeft: z.number().int().min(0).max(30) }),
  "notifications-subscription-created": subscription,
  "notifications-subscription-canceled": subscription,
  "notifications-cancellation-scheduled": subscription,
  "notifications-plan-changed": subscription.extend({ fromPriceId: z.uuid(), toPriceId: z.uuid(), effectiveAt: z.iso.datetime({ offset: true }) }),
  /** Usage crossed `thresholdPercent` (80 in billing's reminder) of the meter's allowance in that period. */
  "notifications-usage-threshold": usage.extend({ thresholdPercent: z.number().int().min(1).max(99).default(80) }),
  "notifications-usage-limit-reached": usage,
  "notifications-welcome": customer,
  /** Enqueued with the welcome email, delayed 24 hours. */
  "notifications-signup-follow-up": customer,
  "notifications-org-payment-succeeded": invoice,
  "notifications-org-payment-failed": payment,
  "notifications-org-dunning-exhausted": invoice,
  "notifications-org-dispute-opened": payment.extend({
    disputeId: z.string().min(1),
    reason: z.string().min(1),
    amount: z.number().int().nonnegative(),
    currency: z.string().regex(/^[A-Za-z]{3}$/),
    evidenceDueBy: z.iso.datetime({ offset: true }),
  }),
} as const;
