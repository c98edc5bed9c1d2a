import * as billing from "@paycron/billing";
import type { Clock, Logger } from "@paycron/core";
import type { Db, SubscriptionStatus } from "@paycron/db";
import type { Stripe } from "@paycron/stripe";

/*
 * The sign-up function of @paycron/billing (issue 9), written by another change in parallel: until
 * it lands, this names its contract and finds it at run time. TODO(merge): import it directly.
 */
export interface CreateSubscriptionInput {
  customerId: string;
  items: { priceId: string; quantity?: number }[];
  defaultPaymentMethodId?: string | null;
  backupPaymentMethodId?: string | null;
}

export interface CreatedSubscription {
  subscriptionId: string;
  status: SubscriptionStatus;
  billingPeriodId: string;
  billingRunId: string;
}

type CreateSubscription = (deps: { db: Db; clock: Clock; logger: Logger; stripe: Stripe }, input: CreateSubscriptionInput) => Promise<CreatedSubscription>;

export function createSubscription(...args: Parameters<CreateSubscription>): ReturnType<CreateSubscription> {
  const fn = (billing as unknown as { createSubscription?: CreateSubscription }).createSubscription;
  if (!fn) throw new Error("@paycron/billing has no createSubscription yet: the simulation needs the billing engine of issue 9");
  return fn(...args);
}
