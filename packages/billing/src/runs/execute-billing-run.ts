import { assertNotInTransaction, withTransaction, type BillingRun, type Invoice, type Subscription, type Tx } from "@paycron/db";
import type { BillingDeps } from "../deps.ts";
import { BillingError } from "../errors.ts";
import { planPeriodInvoice, writePeriodInvoices, type PeriodCharges } from "../invoices/index.ts";
import { invoicesIssued } from "../notices/follow-ups.ts";
import { applyPaymentIntent, type PaymentIntentLike } from "../payments/apply-payment-intent.ts";
import { applyPaymentState } from "../payments/apply-payment-state.ts";
import { onInvoicePaid } from "../payments/on-invoice-paid.ts";
import { enqueue } from "@paycron/runtime";
import { earlierPaymentStillProcessing } from "./await-earlier-payments.ts";
import { billingRunTaskKey, paymentIntentKey } from "./billing-run-key.ts";
import { claimBillingRuns, releaseBillingRun } from "./claim-billing-run.ts";
import { chargeRequestOf, withInvoice, type ChargeDraft, type ChargeFailure, type ChargeRequest } from "./charge-request.ts";
import { inParallel } from "@paycron/core";
import { inTransactions } from "../batch.ts";

export type ExecuteBillingRunResult =
  /** Someone else holds the run, it is not due yet, or it has finished: nothing done. */
  | { outcome: "not_claimed"; status: BillingRun["status"] | "missing" }
  /** Put back to wait (scheduled again): the subscription is past due, or an earlier payment may still settle. */
  | { outcome: "held"; reason: string; until: Date | null }
  /** Ended without a charge: a zero invoice (succeeded), or nothing left to collect (aborted). */
  | { outcome: "succeeded" | "aborted"; reason: string; invoiceId: string | null }
  /** Charged (or tried to): the payment's state as recorded. */
  | { outcome: "charged"; paymentStatus: string; paymentIntentId: string | null; invoiceId: string };

/**
 * Executes one billing run: claim it (a lease), issue its period's invoice and fix the charge's
 * parameters in one transaction, commit, charge the customer's payment method off-session with an
 * idempotency key from the run, and apply the result. Stripe is never called inside a transaction.
 * A crash anywhere is recovered by running this again: the claim waits out the lease, the invoice
 * and the charge parameters are already recorded, and Stripe answers the same key with the same
 * PaymentIntent, so the customer is charged once.
 */
export async function executeBillingRun(deps: BillingDeps, input: { billingRunId: string }): Promise<ExecuteBillingRunResult> {
  const [result] = await executeBillingRuns(deps, { billingRunIds: [input.billingRunId] });
  return result!;
}

export interface ExecuteBillingRunsInput {
  billingRunIds: readonly string[];
  /** Stripe requests in flight at once for this call (default 5). */
  chargeConcurrency?: number;
}

const DEFAULT_CHARGE_CONCURRENCY = 5;

/**
 * executeBillingRun for many runs at once, with the same steps and guarantees, in three
 * transactions for the whole set instead of three per run: one claim statement; one transaction
 * preparing every claimed run (subscriptions locked first, in id order, so a batch never holds an
 * organization's invoice-number lock while waiting for a subscription); the Stripe calls, a few
 * at a time, outside any transaction; one transaction applying every outcome. Should a shared
 * transaction fail, its runs are done again one per transaction, so one bad row never holds the
 * others back. Results come in the order of `billingRunIds`. When a Stripe call fails without an
 * answer (5xx, 429, dropped connection), the other runs are finished first, then that error is
 * thrown, so the task's retry takes up the runs still owed.
 */
export async function executeBillingRuns(deps: BillingDeps, input: ExecuteBillingRunsInput): Promise<ExecuteBillingRunResult[]> {
  const ids = [...new Set(input.billingRunIds)];
  const results = new Map<string, ExecuteBillingRunResult>();
  const errors: unknown[] = [];
  const claimed = await claimBillingRuns(deps.db, { billingRunIds: ids, now: deps.clock.now() });
  await recordUnclaimed(deps, ids, claimed, results);

  const ready: BillingRun[] = [];
  for (const run of claimed) {
    if (run.attempt > 1 && (await earlierPaymentStillProcessing(deps, run))) {
      const until = new Date(deps.clock.now().getTime() + RECHECK_PROCESSING_MS);
      await withTransaction(deps.db, (tx) => holdRun(tx, deps, run.id, until));
      results.set(run.id, { outcome: "held", reason: "earlier_payment_processing", until });
    } else {
      ready.push(run);
    }
  }

  const prepared = await inTransactions(deps, bySubscription(ready), (run) => run.subscription_id, (tx, runs) => prepareCharges(tx, deps, runs), errors);
  const requests: ChargeRequest[] = [];
  for (const [run, outcome] of prepared) {
    if (outcome.kind === "charge") {
      requests.push(outcome.request);
      continue;
    }
    results.set(run.id, outcome.result);
    deps.logger.info({ billingRunId: run.id, outcome: outcome.result.outcome, reason: "reason" in outcome.result ? outcome.result.reason : undefined }, "billing run ended without a charge");
  }

  const answers = await inParallel(requests, input.chargeConcurrency ?? DEFAULT_CHARGE_CONCURRENCY, async (request) => {
    try {
      return await callStripe(deps, request);
    } catch (error) {
      errors.push(error);
      return null;
    }
  });
  const applied = await inTransactions(
    deps,
    answers.filter((answer): answer is StripeAnswer => answer !== null),
    (answer) => answer.request.subscriptionId,
    async (tx, batch) => {
      const out: Array<[StripeAnswer, ExecuteBillingRunResult]> = [];
      for (const answer of batch) out.push([answer, await applyAnswer(tx, deps, answer)]);
      return out;
    },
    errors,
  );
  for (const [answer, result] of applied) results.set(answer.request.billingRunId, result);

  if (errors.length > 0) throw errors.find((error) => !(error instanceof BillingError)) ?? errors[0];
  return ids.map((id) => results.get(id)!);
}

async function recordUnclaimed(deps: BillingDeps, ids: string[], claimed: BillingRun[], results: Map<string, ExecuteBillingRunResult>): Promise<void> {
  const taken = new Set(claimed.map((run) => run.id));
  const unclaimed = ids.filter((id) => !taken.has(id));
  if (unclaimed.length === 0) return;
  const rows = await deps.db.selectFrom("billing_runs").select(["id", "status"]).where("id", "in", unclaimed).execute();
  const status = new Map(rows.map((row) => [row.id, row.status]));
  for (const id of unclaimed) results.set(id, { outcome: "not_claimed", status: status.get(id) ?? "missing" });
}

const bySubscription = (runs: BillingRun[]) => [...runs].sort((a, b) => (a.subscription_id < b.subscription_id ? -1 : a.subscription_id > b.subscription_id ? 1 : 0));

/** How long a retry waits before asking Stripe again about an earlier payment still processing. */
const RECHECK_PROCESSING_MS = 86_400_000;

/** Back to scheduled, lease released; with `until`, re-enqueued for then (else whoever resumes it enqueues it). */
async function holdRun(tx: Tx, deps: BillingDeps, billingRunId: string, until: Date | null): Promise<void> {
  const now = deps.clock.now();
  await tx
    .updateTable("billing_runs")
    .set({ status: "scheduled", lease_until: null, updated_at: now, ...(until ? { scheduled_for: until } : {}) })
    .where("id", "=", billingRunId)
    .where("status", "=", "in_progress")
    .execute();
  if (until) {
    await enqueue(tx, "billing-run", { billingRunId }, { idempotencyKey: `${billingRunTaskKey(billingRunId)}@${until.toISOString()}`, delay: until, clock: deps.clock });
  }
}

type Prepared = { kind: "done"; result: ExecuteBillingRunResult } | { kind: "charge"; request: ChargeRequest };

/** A run whose period has no invoice yet: what it will be, and what its charge will ask. */
interface NewInvoice {
  run: BillingRun;
  subscription: Subscription;
  plan: { billingPeriodId: string; charges: PeriodCharges };
  draft: ChargeDraft | ChargeFailure | null;
}

/**
 * Prepares claimed runs in the caller's transaction, in two passes: first every run is checked and
 * its period's invoice planned and its charge fixed (reads and the run's own row); then the new
 * invoices are written together (writePeriodInvoices), so the organization's invoice-number lock,
 * which every other issuer of the organization waits for, is held only for those last writes.
 */
async function prepareCharges(tx: Tx, deps: BillingDeps, claimed: BillingRun[]): Promise<Array<[BillingRun, Prepared]>> {
  const now = deps.clock.now();
  const prepared = new Map<string, Prepared>();
  const fresh: NewInvoice[] = [];
  for (const { id, subscription_id } of claimed) {
    const subscription = await tx.selectFrom("subscriptions").selectAll().where("id", "=", subscription_id).forUpdate().executeTakeFirstOrThrow();
    const run = await tx.selectFrom("billing_runs").selectAll().where("id", "=", id).forUpdate().executeTakeFirstOrThrow();
    if (subscription.status === "canceled" || subscription.status === "incomplete_expired" || subscription.status === "paused") {
      prepared.set(id, await endRun(tx, run, "aborted", `subscription_${subscription.status}`, null, now));
      continue;
    }
    // A later period's charge waits while the ladder collects an earlier one (invariant 9); it is
    // resumed when the subscription is active again, or aborted by the final action.
    if ((subscription.status === "past_due" || subscription.status === "unpaid") && run.attempt === 1) {
      await holdRun(tx, deps, run.id, null);
      prepared.set(id, { kind: "done", result: { outcome: "held", reason: `subscription_${subscription.status}`, until: null } });
      continue;
    }
    const plan = await planPeriodInvoice(tx, { billingPeriodId: run.billing_period_id });
    if ("existing" in plan) {
      const { invoice } = plan.existing;
      if (invoice.status !== "open") {
        prepared.set(id, await invoiceDone(tx, deps, run, subscription, invoice, now));
        continue;
      }
      const draft = await chargeRequestOf(tx, { run, subscription, amountDue: invoice.amount_due, now });
      prepared.set(id, await withDraft(tx, deps, run, invoice, draft, now));
      continue;
    }
    const draft = plan.charges.subtotal > 0 ? await chargeRequestOf(tx, { run, subscription, amountDue: plan.charges.subtotal, now }) : null;
    fresh.push({ run, subscription, plan, draft });
  }

  const issued = await writePeriodInvoices(tx, fresh.map((f) => f.plan), now);
  await invoicesIssued(tx, deps.clock, issued.map((i) => i.invoice.id));
  for (const [i, { run, subscription, draft }] of fresh.entries()) {
    const { invoice } = issued[i]!;
    prepared.set(run.id, draft === null ? await invoiceDone(tx, deps, run, subscription, invoice, now) : await withDraft(tx, deps, run, invoice, draft, now));
  }
  return claimed.map((run) => [run, prepared.get(run.id)!]);
}

/** A run whose invoice is not open: a zero invoice (issued paid) ends it as succeeded, anything else aborts it. */
async function invoiceDone(tx: Tx, deps: BillingDeps, run: BillingRun, subscription: Subscription, invoice: Invoice, now: Date): Promise<Prepared> {
  if (invoice.status === "paid") {
    if (invoice.total > 0) return endRun(tx, run, "aborted", "invoice_paid", invoice.id, now);
    await onInvoicePaid(tx, { invoiceId: invoice.id, subscription, now, clock: deps.clock });
    return endRun(tx, run, "succeeded", "nothing_to_charge", invoice.id, now);
  }
  return endRun(tx, run, "aborted", `invoice_${invoice.status}`, invoice.id, now);
}

/** The charge to make, or, when there is nothing to charge it with, the attempt failed without calling Stripe. */
async function withDraft(tx: Tx, deps: BillingDeps, run: BillingRun, invoice: Invoice, draft: ChargeDraft | ChargeFailure, now: Date): Promise<Prepared> {
  if (!("failure" in draft)) return { kind: "charge", request: withInvoice(draft, invoice) };
  await applyPaymentState(tx, {
    billingRunId: run.id,
    state: { status: "failed", paymentIntentId: null, chargeId: null, amount: invoice.amount_due, currency: invoice.currency, ...draft.failure },
    observedAt: now,
    now,
    clock: deps.clock,
    logger: deps.logger,
  });
  return { kind: "done", result: { outcome: "charged", paymentStatus: "failed", paymentIntentId: null, invoiceId: invoice.id } };
}

async function endRun(tx: Tx, run: BillingRun, status: "succeeded" | "aborted", reason: string, invoiceId: string | null, now: Date): Promise<Prepared> {
  await tx
    .updateTable("billing_runs")
    .set({ status, lease_until: null, completed_at: now, updated_at: now, error: status === "aborted" ? JSON.stringify({ code: reason }) : null })
    .where("id", "=", run.id)
    .execute();
  return { kind: "done", result: { outcome: status, reason, invoiceId } };
}

/** What Stripe answered a charge request: a PaymentIntent (declined ones too), or a refusal of the request itself. */
type StripeAnswer = { request: ChargeRequest; paymentIntent: PaymentIntentLike } | { request: ChargeRequest; refused: StripeErrorLike };

async function callStripe(deps: BillingDeps, request: ChargeRequest): Promise<StripeAnswer> {
  assertNotInTransaction(deps.db, "charging a billing run");
  try {
    const paymentIntent = await deps.stripe.paymentIntents.create(
      {
        amount: request.amount,
        currency: request.currency.toLowerCase(),
        customer: request.stripeCustomerId,
        payment_method: request.stripePaymentMethodId,
        confirm: true,
        off_session: true,
        description: `Invoice ${request.invoiceNumber}`,
        metadata: { billing_run_id: request.billingRunId, invoice_id: request.invoiceId, subscription_id: request.subscriptionId },
      },
      { idempotencyKey: paymentIntentKey(request.billingRunId, request.attempt) },
    );
    return { request, paymentIntent };
  } catch (error) {
    const declined = declinedPaymentIntent(error);
    if (declined) return { request, paymentIntent: declined };
    if ((error as StripeErrorLike)?.type === "StripeIdempotencyError") {
      throw new BillingError("stripe_idempotency_conflict", `Stripe refused the key of billing run ${request.billingRunId}: the charge parameters changed after they were recorded`, { cause: error });
    }
    if (isRefusedRequest(error)) return { request, refused: error };
    // Stripe unreachable, 5xx or rate limited: nothing is known to have happened. Give the lease
    // back so the task's retry claims the run at once, with the same key and parameters.
    await releaseBillingRun(deps.db, { billingRunId: request.billingRunId, now: deps.clock.now() });
    throw error;
  }
}

async function applyAnswer(tx: Tx, deps: BillingDeps, answer: StripeAnswer): Promise<ExecuteBillingRunResult> {
  const { request } = answer;
  if ("refused" in answer) return recordRefusal(tx, deps, request, answer.refused);
  const applied = await applyPaymentIntent(deps, { paymentIntent: answer.paymentIntent, observedAt: deps.clock.now() }, tx);
  if ("ignored" in applied) throw new BillingError("payment_intent_unmatched", applied.ignored);
  const paymentStatus = applied.applied ? applied.to : applied.status;
  return { outcome: "charged", paymentStatus, paymentIntentId: answer.paymentIntent.id, invoiceId: request.invoiceId };
}

interface StripeErrorLike {
  type?: string;
  code?: string;
  message?: string;
  statusCode?: number;
  payment_intent?: PaymentIntentLike;
}

/** A card decline: Stripe answers 402 with the PaymentIntent, now failed, inside the error. */
function declinedPaymentIntent(error: unknown): PaymentIntentLike | null {
  const e = error as StripeErrorLike;
  return e?.type === "StripeCardError" && e.payment_intent ? e.payment_intent : null;
}

/**
 * A request Stripe refused as it stands (a detached card, an amount below the minimum): retrying
 * the same request cannot help, so the attempt fails and the ladder goes on. A reused key with
 * other parameters is a bug of ours, never a customer's failure, so it is not one of these.
 */
function isRefusedRequest(error: unknown): error is StripeErrorLike {
  const e = error as StripeErrorLike;
  return e?.type === "StripeInvalidRequestError" && e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500 && e.statusCode !== 429;
}

async function recordRefusal(tx: Tx, deps: BillingDeps, request: ChargeRequest, error: StripeErrorLike): Promise<ExecuteBillingRunResult> {
  const now = deps.clock.now();
  await applyPaymentState(tx, {
    billingRunId: request.billingRunId,
    state: {
      status: "failed",
      paymentIntentId: null,
      chargeId: null,
      amount: request.amount,
      currency: request.currency,
      failureCode: error.code ?? "invalid_request",
      failureMessage: error.message ?? null,
    },
    observedAt: now,
    now,
    clock: deps.clock,
    logger: deps.logger,
  });
  deps.logger.warn({ billingRunId: request.billingRunId, code: error.code, message: error.message }, "Stripe refused the charge request");
  return { outcome: "charged", paymentStatus: "failed", paymentIntentId: null, invoiceId: request.invoiceId };
}
