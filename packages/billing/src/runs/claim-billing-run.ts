import { sql } from "kysely";
import type { BillingRun, Db } from "@paycron/db";

/** Long enough for one Stripe call with the SDK's own retries; a crashed holder's run is recovered after it. */
export const BILLING_RUN_LEASE_MS = 10 * 60_000;

/**
 * Takes a billing run for execution: one conditional UPDATE, so of any number of tasks, crons or
 * replays reaching the same run, exactly one gets it. A run is claimable when it is scheduled and
 * due, or in progress with an expired lease (its holder crashed; the hourly cron finds those).
 * Returns null when someone else holds it, it is not due, or it has finished.
 */
export async function claimBillingRun(db: Db, input: { billingRunId: string; now: Date; leaseMs?: number }): Promise<BillingRun | null> {
  const [claimed] = await claimBillingRuns(db, { billingRunIds: [input.billingRunId], now: input.now, leaseMs: input.leaseMs });
  return claimed ?? null;
}

/**
 * claimBillingRun for many runs in one statement: the ones claimable now are returned (in no
 * particular order), the others are left to whoever holds them.
 */
export async function claimBillingRuns(db: Db, input: { billingRunIds: readonly string[]; now: Date; leaseMs?: number }): Promise<BillingRun[]> {
  const { now } = input;
  if (input.billingRunIds.length === 0) return [];
  const leaseUntil = new Date(now.getTime() + (input.leaseMs ?? BILLING_RUN_LEASE_MS));
  return db
    .updateTable("billing_runs")
    .set({ status: "in_progress", lease_until: leaseUntil, started_at: sql`coalesce(started_at, ${now})`, updated_at: now })
    .where("id", "in", input.billingRunIds)
    .where((eb) =>
      eb.or([
        eb.and([eb("status", "=", "scheduled"), eb("scheduled_for", "<=", now)]),
        eb.and([eb("status", "=", "in_progress"), eb("lease_until", "<=", now)]),
      ]),
    )
    .returningAll()
    .execute();
}

/** Gives the lease back at once (a transient Stripe failure): the task's retry can claim it without waiting for expiry. */
export async function releaseBillingRun(db: Db, input: { billingRunId: string; now: Date }): Promise<void> {
  await db
    .updateTable("billing_runs")
    .set({ lease_until: input.now, updated_at: input.now })
    .where("id", "=", input.billingRunId)
    .where("status", "=", "in_progress")
    .execute();
}
