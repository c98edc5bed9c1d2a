import type { PaymentStatus } from "@paycron/db";

/** A payment's state as Stripe (or our own timeout) reports it, whatever the source. */
export interface PaymentState {
  status: Exclude<PaymentStatus, "refunded">;
  /** Null for a failure that never reached Stripe (no payment method, a refused request). */
  paymentIntentId: string | null;
  chargeId: string | null;
  amount: number;
  currency: string;
  failureCode: string | null;
  failureMessage: string | null;
}

/*
 * A PaymentIntent only moves forward: pending (processing, requires_action) → failed or canceled
 * → or succeeded. Refunded is set by refunds alone. So a state replaces the stored one when it
 * is further along, and within one rank only when its event is newer: an older or repeated event
 * never overwrites a newer state, whatever order Stripe delivers them in. Succeeded outranks a
 * failure because the only failure it can follow is our own timeout of a payment that went on to
 * settle: the money moved, and it must be recorded.
 */
const RANK: Record<PaymentStatus, number> = {
  processing: 1,
  requires_action: 1,
  failed: 2,
  canceled: 2,
  succeeded: 3,
  refunded: 4,
};

export function supersedes(
  current: { status: PaymentStatus; at: Date | null },
  next: { status: PaymentStatus; at: Date },
): boolean {
  if (next.status === current.status) return false;
  const diff = RANK[next.status] - RANK[current.status];
  if (diff !== 0) return diff > 0;
  return current.at === null || next.at > current.at;
}

export const isPending = (status: PaymentStatus) => status === "processing" || status === "requires_action";
export const isFailure = (status: PaymentStatus) => status === "failed" || status === "canceled";
