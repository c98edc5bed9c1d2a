import { z } from "zod";
import { billingIntervalSchema, customerEmailSchema, instantSchema, linkSchema, moneySchema, paymentMethodSchema } from "./common.ts";

/** `cancellation-scheduled`: A subscription will be canceled at `effectiveAt` (the end of the paid period). */
export const cancellationScheduledProps = customerEmailSchema.extend({
  planName: z.string().min(1),
  /** When the cancellation takes effect (the end of the paid period). */
  effectiveAt: instantSchema,
  manageUrl: linkSchema,
});

/** `payment-action-required`: The customer's bank asks them to authenticate a payment (3-D Secure). */
export const paymentActionRequiredProps = customerEmailSchema.extend({
  amount: moneySchema,
  invoiceNumber: z.string().min(1),
  /** Where the customer completes the authentication (Stripe's hosted page or ours). */
  authenticateUrl: linkSchema,
});

/** `payment-failed`: A customer's payment failed; says when the next attempt is and where to update the card. */
export const paymentFailedProps = customerEmailSchema.extend({
  amount: moneySchema,
  invoiceNumber: z.string().min(1),
  nextRetryAt: instantSchema,
  updatePaymentMethodUrl: linkSchema,
});

/** `payment-receipt`: A customer's payment went through; links the receipt PDF. */
export const paymentReceiptProps = customerEmailSchema.extend({
  amount: moneySchema,
  paidAt: instantSchema,
  invoiceNumber: z.string().min(1),
  paymentMethod: paymentMethodSchema.optional(),
  /** A signed, short-lived link to the receipt PDF. */
  receiptUrl: linkSchema,
});

/** `plan-changed`: A subscription moved from one plan to another. */
export const planChangedProps = customerEmailSchema.extend({
  fromPlan: z.string().min(1),
  toPlan: z.string().min(1),
  price: moneySchema,
  interval: billingIntervalSchema,
  effectiveAt: instantSchema,
  manageUrl: linkSchema,
});

/** `signup-follow-up`: Sent 24 hours after sign-up. */
export const signupFollowUpProps = customerEmailSchema.extend({ setupUrl: linkSchema });

/** `subscription-canceled`: A subscription ended. */
export const subscriptionCanceledProps = customerEmailSchema.extend({
  planName: z.string().min(1),
  canceledAt: instantSchema,
  resubscribeUrl: linkSchema,
});

/** `subscription-created`: A subscription started. */
export const subscriptionCreatedProps = customerEmailSchema.extend({
  planName: z.string().min(1),
  price: moneySchema,
  interval: billingIntervalSchema,
  startedAt: instantSchema,
  nextBillingAt: instantSchema,
  manageUrl: linkSchema,
});

/** `trial-ending`: A trial ends in `daysLeft` days (billing sends 3, 1 and 0: today). */
export const trialEndingProps = customerEmailSchema.extend({
  /** Whole days until the trial ends: 3, 1 or 0 (today) in the reminders billing sends. */
  daysLeft: z.number().int().min(0).max(30),
  trialEndsAt: instantSchema,
  planName: z.string().min(1),
  price: moneySchema,
  interval: billingIntervalSchema,
  manageUrl: linkSchema,
});

/** `usage-limit-reached`: Metered usage reached the plan's allowance. */
export const usageLimitReachedProps = customerEmailSchema.extend({
  meterName: z.string().min(1),
  limit: z.number().positive(),
  periodEndsAt: instantSchema,
  upgradeUrl: linkSchema,
});

/** `usage-threshold`: Metered usage crossed a share of the plan's allowance (80 % in billing's reminder). */
export const usageThresholdProps = customerEmailSchema.extend({
  /** What is metered, as the customer knows it, plural ("API calls"); written in the customer's language by the organization. */
  meterName: z.string().min(1),
  used: z.number().nonnegative(),
  limit: z.number().positive(),
  periodEndsAt: instantSchema,
  upgradeUrl: linkSchema,
});

/** `welcome`: Sent at sign-up. */
export const welcomeProps = customerEmailSchema.extend({ accountUrl: linkSchema });
