import type { Db } from "@paycron/db";
import { amountPaidMatchesPayments } from "./amount-paid-matches-payments.ts";
import { canceledNotBilled } from "./canceled-not-billed.ts";
import { emailsOnce } from "./emails-once.ts";
import { invoiceNumbersGapFree } from "./invoice-numbers-gap-free.ts";
import { invoiceTotalMatchesLines } from "./invoice-total-matches-lines.ts";
import { nothingLeftBehind } from "./nothing-left-behind.ts";
import { oneSuccessPerRun } from "./one-success-per-run.ts";
import { pastDueNotRolled } from "./past-due-not-rolled.ts";
import { periodsContiguous } from "./periods-contiguous.ts";
import { countViolations, type InvariantResult, type ViolationQuery } from "./violation-query.ts";
import { webhookEventsFinal } from "./webhook-events-final.ts";

/** DESIGN.md's invariants 1–9, in its order, under names that stay stable for reports and tests. */
export const INVARIANTS = {
  one_success_per_run: oneSuccessPerRun,
  amount_paid_matches_payments: amountPaidMatchesPayments,
  invoice_total_matches_lines: invoiceTotalMatchesLines,
  periods_contiguous: periodsContiguous,
  invoice_numbers_gap_free: invoiceNumbersGapFree,
  webhook_events_final: webhookEventsFinal,
  emails_once: emailsOnce,
  nothing_left_behind: nothingLeftBehind,
  canceled_not_billed: canceledNotBilled,
  past_due_not_rolled: pastDueNotRolled,
} satisfies Record<string, ViolationQuery>;

export type InvariantName = keyof typeof INVARIANTS;
export type InvariantReport = Record<InvariantName, InvariantResult>;

export interface CheckInvariantsInput {
  /** The moment the check speaks for: what is "due" or "past its window" is measured from it. */
  now: Date;
}

/**
 * Checks every invariant of DESIGN.md against the whole database, one set-based query each. Meant
 * for a quiescent database (after the engine drained): in-flight work shows as left behind.
 */
export async function checkInvariants(db: Db, input: CheckInvariantsInput): Promise<InvariantReport> {
  const report = {} as InvariantReport;
  for (const [name, query] of Object.entries(INVARIANTS) as [InvariantName, ViolationQuery][]) {
    report[name] = await countViolations(db, query(input.now));
  }
  return report;
}

/** True when every invariant of the report holds. */
export function invariantsHold(report: InvariantReport): boolean {
  return Object.values(report).every((r) => r.ok);
}
