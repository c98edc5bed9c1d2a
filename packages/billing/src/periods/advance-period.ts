import { chunks, type Clock, type Logger } from "@paycron/core";
import { type BillingPeriod, type BillingPeriodStatus, type Db, type SubscriptionStatus, type Tx } from "@paycron/db";
import { enqueue, enqueueMany } from "@paycron/runtime";
import { inTransactions } from "../batch.ts";
import { BillingError } from "../errors.ts";
import { billingRunTaskKey } from "../runs/billing-run-key.ts";
import { periodContaining, type BillingCadence } from "./period-bounds.ts";
import { loadSubscriptionCadence } from "./subscription-cadence.ts";

export interface AdvancePeriodDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
}

export interface AdvanceSubscriptionPeriodInput {
  subscriptionId: string;
}

export interface OpenedPeriod {
  billingPeriodId: string;
  start: Date;
  end: Date;
  /** `completed` for a missed period that has already ended, `active` for the one holding now. */
  status: BillingPeriodStatus;
  /** The attempt-1 run of this period; null when another transition had already scheduled one. */
  billingRunId: string | null;
  scheduledFor: Date;
}

export type AdvanceSubscriptionPeriodResult =
  /** Closed the ended period and opened every period up to the one holding now. */
  | { outcome: "advanced"; closedPeriodId: string; opened: OpenedPeriod[] }
  /** The current period has not ended: nothing to do (also what a repeated call sees). */
  | { outcome: "not_due"; currentPeriodEnd: Date }
  /** Left as it is: its status or a pending cancellation is for another flow to decide. */
  | { outcome: "skipped"; reason: SkipReason };

export type SkipReason = Exclude<SubscriptionStatus, "active"> | "cancellation_due";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The period transition: when a subscription's current period has ended by `clock.now()`, closes
 * it, opens the next one (bounds from the billing cycle anchor, in the organization's timezone)
 * and schedules its billing run, all in one transaction under the subscription's row lock. After
 * downtime it opens every missed period up to the one holding now, each with its own run (as
 * Stripe Billing invoices each elapsed period), so no period of service goes unbilled.
 *
 * Idempotent: the row lock serializes concurrent calls, and the second one finds a period that has
 * not ended; the unique keys (period per subscription and start, run per period and attempt) make
 * a replay after a crash insert nothing twice.
 *
 * Only `active` subscriptions advance. A canceled one gets nothing (invariant 9), nor one set to
 * cancel at or before the end of its period; trialing, past_due (the dunning ladder decides),
 * unpaid, paused and incomplete ones are left to the flows that own those states.
 */
export async function advanceSubscriptionPeriod(
  deps: AdvancePeriodDeps,
  input: AdvanceSubscriptionPeriodInput,
): Promise<AdvanceSubscriptionPeriodResult> {
  const [result] = await advanceSubscriptionPeriods(deps, { subscriptionIds: [input.subscriptionId] });
  return result!;
}

/** Billing runs per `billing-run-batch` task when a transition opens several that are due at once. */
export const RUN_BATCH_SIZE = 50;

/**
 * advanceSubscriptionPeriod for many subscriptions (the hourly sweep's page), in one transaction
 * for all of them, or one each should the shared one fail; results in the order given. The runs
 * it opens that are already due are handed to the engine together (`billing-run-batch`, by
 * RUN_BATCH_SIZE), the later ones each for its own time. Throws, after the others are done, the
 * error of a subscription that could not be advanced.
 */
export async function advanceSubscriptionPeriods(
  deps: AdvancePeriodDeps,
  input: { subscriptionIds: readonly string[] },
): Promise<AdvanceSubscriptionPeriodResult[]> {
  const ids = [...new Set(input.subscriptionIds)];
  for (const id of ids) if (!UUID.test(id)) throw notFound(id);
  const errors: unknown[] = [];
  const advanced = await inTransactions(
    deps,
    [...ids].sort(),
    (id) => id,
    async (tx, batch) => {
      const done: Array<[string, AdvanceSubscriptionPeriodResult]> = [];
      for (const id of batch) done.push([id, await advanceLocked(tx, deps.clock, id)]);
      await scheduleRuns(tx, deps.clock, done.flatMap(([, result]) => (result.outcome === "advanced" ? result.opened : [])));
      return done;
    },
    errors,
  );
  const results = new Map(advanced);
  for (const [id, result] of advanced) {
    if (result.outcome === "advanced") {
      deps.logger.info({ subscriptionId: id, opened: result.opened.length, currentPeriodEnd: result.opened.at(-1)!.end }, "billing period advanced");
    }
  }
  if (errors.length > 0) throw errors[0];
  return ids.map((id) => results.get(id)!);
}

/**
 * Hands newly opened runs to the engine: the due ones together (one `billing-run`, or
 * `billing-run-batch` tasks of RUN_BATCH_SIZE), each later one for its own time. The hourly sweep
 * is the backstop, not the path.
 */
async function scheduleRuns(tx: Tx, clock: Clock, opened: OpenedPeriod[]): Promise<void> {
  const now = clock.now();
  const due: string[] = [];
  for (const period of opened) {
    if (!period.billingRunId) continue;
    if (period.scheduledFor <= now) due.push(period.billingRunId);
    else await enqueue(tx, "billing-run", { billingRunId: period.billingRunId }, { idempotencyKey: billingRunTaskKey(period.billingRunId), delay: period.scheduledFor, clock });
  }
  if (due.length === 1) await enqueue(tx, "billing-run", { billingRunId: due[0]! }, { idempotencyKey: billingRunTaskKey(due[0]!), delay: now, clock });
  if (due.length > 1) {
    const batches = chunks(due, RUN_BATCH_SIZE).map((billingRunIds) => ({
      taskId: "billing-run-batch" as const,
      payload: { billingRunIds },
      options: { idempotencyKey: billingRunTaskKey(billingRunIds[0]!) },
    }));
    await enqueueMany(tx, clock, batches);
  }
}

async function advanceLocked(tx: Tx, clock: Clock, subscriptionId: string): Promise<AdvanceSubscriptionPeriodResult> {
  const now = clock.now();
  const subscription = await tx
    .selectFrom("subscriptions")
    .innerJoin("organizations", "organizations.id", "subscriptions.organization_id")
    .select([
      "subscriptions.status",
      "subscriptions.billing_cycle_anchor",
      "subscriptions.current_period_start",
      "subscriptions.current_period_end",
      "subscriptions.cancel_at_period_end",
      "subscriptions.cancel_at",
      "organizations.timezone",
    ])
    .where("subscriptions.id", "=", subscriptionId)
    .forUpdate("subscriptions")
    .executeTakeFirst();
  if (!subscription) throw notFound(subscriptionId);

  if (subscription.status !== "active") return { outcome: "skipped", reason: subscription.status };
  if (subscription.current_period_end > now) return { outcome: "not_due", currentPeriodEnd: subscription.current_period_end };

  const current = await periodStartingAt(tx, subscriptionId, subscription.current_period_start);
  if (!current) {
    throw new BillingError(
      "billing_period_missing",
      `subscription ${subscriptionId} has no billing period starting at its current_period_start ${subscription.current_period_start.toISOString()}`,
      { details: { subscriptionId } },
    );
  }

  // The period row is what the next one must join, should it disagree with the subscription's copy.
  if (current.ends_at > now) return { outcome: "not_due", currentPeriodEnd: current.ends_at };
  if (subscription.cancel_at_period_end || (subscription.cancel_at !== null && subscription.cancel_at <= current.ends_at)) {
    return { outcome: "skipped", reason: "cancellation_due" };
  }

  const items = await loadSubscriptionCadence(tx, subscriptionId, now);
  const cadence: BillingCadence = {
    anchor: subscription.billing_cycle_anchor,
    interval: items.interval,
    intervalCount: items.intervalCount,
    timezone: subscription.timezone,
  };

  // A past_due or canceled period keeps its status: only a period still open is completed.
  await tx
    .updateTable("billing_periods")
    .set({ status: "completed", updated_at: now })
    .where("id", "=", current.id)
    .where("status", "in", ["upcoming", "active"])
    .execute();

  const opened: OpenedPeriod[] = [];
  let end = current.ends_at;
  const { cancel_at: cancelAt } = subscription;
  // No period starts at or after a scheduled cancellation, even when catching up past it.
  while (end <= now && (cancelAt === null || end < cancelAt)) {
    // Starts where the last one ended (contiguity), ends on the anchor's grid: the same period
    // as periodBounds(index + 1) when the last one was on the grid, and a shorter one that
    // re-joins the grid when it was not (a trial or an anchor changed mid-period). The last
    // period before a cancellation ends at it: service stops there.
    const gridEnd = periodContaining(end, cadence).end;
    const periodEnd = cancelAt !== null && cancelAt < gridEnd ? cancelAt : gridEnd;
    const period = await openPeriod(tx, subscriptionId, { start: end, end: periodEnd }, now);
    const scheduledFor = items.hasFixedItems ? period.starts_at : period.ends_at;
    const run = await tx
      .insertInto("billing_runs")
      .values({
        billing_period_id: period.id,
        subscription_id: subscriptionId,
        attempt: 1,
        scheduled_for: scheduledFor,
        status: "scheduled",
        created_at: now,
        updated_at: now,
      })
      // Any unique key: (period, attempt) or the one-live-run-per-period index.
      .onConflict((oc) => oc.doNothing())
      .returning("id")
      .executeTakeFirst();
    opened.push({
      billingPeriodId: period.id,
      start: period.starts_at,
      end: period.ends_at,
      status: period.status,
      billingRunId: run?.id ?? null,
      scheduledFor,
    });
    end = period.ends_at;
  }

  const last = opened.at(-1)!;
  await tx
    .updateTable("subscriptions")
    .set({ current_period_start: last.start, current_period_end: last.end, updated_at: now })
    .where("id", "=", subscriptionId)
    .execute();
  return { outcome: "advanced", closedPeriodId: current.id, opened };
}

async function openPeriod(tx: Tx, subscriptionId: string, bounds: { start: Date; end: Date }, now: Date): Promise<BillingPeriod> {
  const inserted = await tx
    .insertInto("billing_periods")
    .values({
      subscription_id: subscriptionId,
      starts_at: bounds.start,
      ends_at: bounds.end,
      status: bounds.end <= now ? "completed" : "active",
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(["subscription_id", "starts_at"]).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return inserted;
  // Written ahead of time (an upcoming period, or by hand): it is this period, whatever its end,
  // and the loop continues from it. Only an `upcoming` one changes status: it has begun.
  const existing = await periodStartingAt(tx, subscriptionId, bounds.start);
  if (!existing) throw new Error(`billing period of ${subscriptionId} at ${bounds.start.toISOString()} neither inserted nor found`);
  if (existing.status !== "upcoming") return existing;
  return tx
    .updateTable("billing_periods")
    .set({ status: existing.ends_at <= now ? "completed" : "active", updated_at: now })
    .where("id", "=", existing.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

function notFound(subscriptionId: string): BillingError {
  return new BillingError("subscription_not_found", `no subscription with id ${JSON.stringify(subscriptionId)}`, {
    details: { subscriptionId },
  });
}

/** A subscription's period is identified by its start (unique per subscription). */
function periodStartingAt(tx: Tx, subscriptionId: string, startsAt: Date) {
  return tx.selectFrom("billing_periods").selectAll().where("subscription_id", "=", subscriptionId).where("starts_at", "=", startsAt).executeTakeFirst();
}
