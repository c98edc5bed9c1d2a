import { expect } from "vitest";
import { paycron, type CliResult } from "../support/paycron-cli.ts";

/** What `paycron simulate --json` prints (apps/cli/src/simulate/report.ts). */
export interface Report {
  seed: number;
  customers: number;
  simulated: { from: string; to: string; cronSlots: Record<string, number> };
  subscriptions: { total: number; byStatus: Record<string, number> };
  invoices: { total: number; byStatus: Record<string, number> };
  revenue: Record<string, number>;
  payments: { succeeded: number; failed: number; processing: number; recovered: number };
  churn: Record<string, number>;
  billingRuns: { executed: number; byStatus: Record<string, number> };
  invariants: Record<string, { ok: boolean; violations: number; examples: string[] }>;
  chaos?: { workerKills: number; failedRequests: number; droppedAfterCharge: number; emulatorChargesSucceeded: number; paymentsSucceeded: number; ok: boolean };
  wallTimeMs: number;
}

/** The invariants DESIGN.md lists, by the names the report gives them. */
export const INVARIANT_NAMES = [
  "one_success_per_run",
  "amount_paid_matches_payments",
  "invoice_total_matches_lines",
  "periods_contiguous",
  "invoice_numbers_gap_free",
  "webhook_events_final",
  "emails_once",
  "nothing_left_behind",
  "canceled_not_billed",
  "past_due_not_rolled",
];

/**
 * Runs `pnpm paycron simulate … --json` to its end. The CLI's DATABASE_URL is the test's, which
 * simulate ignores: without --database-url it starts its own temporary Postgres.
 */
export async function simulate(args: string[], databaseUrl = "postgres://unused.invalid/none", extra: string[] = []): Promise<CliResult & { report: Report }> {
  const result = await paycron(databaseUrl, ["simulate", ...args, ...extra, "--json"]);
  let report: Report;
  try {
    report = JSON.parse(result.stdout) as Report;
  } catch {
    throw new Error(`simulate printed no report (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
  return { ...result, report };
}

/** Every invariant present and holding; on failure the message shows the violations. */
export function expectInvariantsHold(report: Report): void {
  expect(Object.keys(report.invariants)).toEqual(INVARIANT_NAMES);
  const failing = Object.entries(report.invariants).filter(([, r]) => !r.ok);
  expect(failing).toEqual([]);
}
