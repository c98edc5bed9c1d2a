import type { ParsedTaskPayload, TaskId } from "@paycron/tasks";
import type { NotificationDeps } from "../deps.ts";
import type { NoticeOrSkip } from "../notice.ts";
import { orgDisputeOpened, orgDunningExhausted, orgPaymentFailed, orgPaymentSucceeded } from "./organization-notices.ts";
import { paymentActionRequired, paymentFailed, paymentReceipt } from "./payment-notices.ts";
import { signupFollowUp, welcome } from "./signup-notices.ts";
import { cancellationScheduled, planChanged, subscriptionCanceled, subscriptionCreated, trialEnding } from "./subscription-notices.ts";
import { usageLimitReached, usageThreshold } from "./usage-notices.ts";

/** The email of each notification task: what it reads, whom it goes to, under which occurrence. */
export const notices = {
  "notifications-payment-receipt": paymentReceipt,
  "notifications-payment-failed": paymentFailed,
  "notifications-payment-action-required": paymentActionRequired,
  "notifications-trial-ending": trialEnding,
  "notifications-subscription-created": subscriptionCreated,
  "notifications-subscription-canceled": subscriptionCanceled,
  "notifications-cancellation-scheduled": cancellationScheduled,
  "notifications-plan-changed": planChanged,
  "notifications-usage-threshold": usageThreshold,
  "notifications-usage-limit-reached": usageLimitReached,
  "notifications-welcome": welcome,
  "notifications-signup-follow-up": signupFollowUp,
  "notifications-org-payment-succeeded": orgPaymentSucceeded,
  "notifications-org-payment-failed": orgPaymentFailed,
  "notifications-org-dunning-exhausted": orgDunningExhausted,
  "notifications-org-dispute-opened": orgDisputeOpened,
} as const satisfies { [Id in NotificationTaskId]: (deps: NotificationDeps, payload: ParsedTaskPayload<Id>) => Promise<NoticeOrSkip> };

export type NotificationTaskId = Extract<TaskId, `notifications-${string}`>;
