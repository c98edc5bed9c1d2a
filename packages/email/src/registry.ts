import type { z } from "zod";
import { cancellationScheduled } from "./templates/customer/cancellation-scheduled.tsx";
import { paymentActionRequired } from "./templates/customer/payment-action-required.tsx";
import { paymentFailed } from "./templates/customer/payment-failed.tsx";
import { paymentReceipt } from "./templates/customer/payment-receipt.tsx";
import { planChanged } from "./templates/customer/plan-changed.tsx";
import { signupFollowUp } from "./templates/customer/signup-follow-up.tsx";
import { subscriptionCanceled } from "./templates/customer/subscription-canceled.tsx";
import { subscriptionCreated } from "./templates/customer/subscription-created.tsx";
import { trialEnding } from "./templates/customer/trial-ending.tsx";
import { usageLimitReached } from "./templates/customer/usage-limit-reached.tsx";
import { usageThreshold } from "./templates/customer/usage-threshold.tsx";
import { welcome } from "./templates/customer/welcome.tsx";
import { orgDisputeOpened } from "./templates/organization/dispute-opened.tsx";
import { orgDunningExhausted } from "./templates/organization/dunning-exhausted.tsx";
import { orgPaymentFailed } from "./templates/organization/payment-failed.tsx";
import { orgPaymentSucceeded } from "./templates/organization/payment-succeeded.tsx";

/**
 * Every email Paycron sends, by name: its props schema, its catalog, its subject and its
 * component. A new template is one file under templates/ plus one line here (the test
 * "the registry lists every template file" fails until it is added).
 */
export const templates = {
  "payment-receipt": paymentReceipt,
  "payment-failed": paymentFailed,
  "payment-action-required": paymentActionRequired,
  "trial-ending": trialEnding,
  "subscription-created": subscriptionCreated,
  "subscription-canceled": subscriptionCanceled,
  "cancellation-scheduled": cancellationScheduled,
  "plan-changed": planChanged,
  "usage-threshold": usageThreshold,
  "usage-limit-reached": usageLimitReached,
  welcome,
  "signup-follow-up": signupFollowUp,
  "org-payment-succeeded": orgPaymentSucceeded,
  "org-payment-failed": orgPaymentFailed,
  "org-dunning-exhausted": orgDunningExhausted,
  "org-dispute-opened": orgDisputeOpened,
} as const satisfies { [K in string]: { name: K } };

export type Templates = typeof templates;
export type TemplateName = keyof Templates;
/** What a caller passes to render or send `N` (the schema's input). */
export type TemplateProps<N extends TemplateName> = z.input<Templates[N]["schema"]>;

export const templateNames = Object.keys(templates) as TemplateName[];

export function isTemplateName(name: string): name is TemplateName {
  return Object.hasOwn(templates, name);
}
