import { z } from "zod";

/*
 * The billing engine's per-item tasks (and two batch ones, for a page of the hourly sweep): what
 * the hourly and daily crons fan out to, and what domain code enqueues after a state change. Each names the one row it acts on; the task reads
 * everything else from the database, so a replayed or late run acts on the current state.
 */
export const billingTaskPayloads = {
  /** Claim and execute one billing run (invoice, charge, outcome). */
  "billing-run": z.object({ billingRunId: z.uuid() }),
  /** Claim and execute many billing runs together: a page of due runs (the same steps, fewer transactions). */
  "billing-run-batch": z.object({ billingRunIds: z.array(z.uuid()).min(1).max(500) }),
  /** Close a subscription's ended period, open the next and schedule its run. */
  "subscription-advance": z.object({ subscriptionId: z.uuid() }),
  /** subscription-advance for a page of subscriptions, in one transaction. */
  "subscription-advance-batch": z.object({ subscriptionIds: z.array(z.uuid()).min(1).max(500) }),
  /** Give up on a payment stuck processing or requires_action past its window. */
  "payment-timeout": z.object({ paymentId: z.uuid() }),
  /** Apply the organization's final dunning action to a subscription whose ladder is exhausted. */
  "dunning-finalize": z.object({ subscriptionId: z.uuid() }),
  /** An incomplete subscription whose first payment never succeeded, 23 hours on. */
  "subscription-expire-incomplete": z.object({ subscriptionId: z.uuid() }),
} as const;
