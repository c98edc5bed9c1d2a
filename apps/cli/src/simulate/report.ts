import { sql, type RawBuilder } from "kysely";
import type { Db } from "@paycron/db";
import type { InvariantReport } from "@paycron/billing";

export interface SimulationReport {
  seed: number;
  customers: number;
  months: number;
  declineRate: number;
  simulated: { from: string; to: string; cronSlots: Record<string, number> };
  subscriptions: { total: number; byStatus: Record<string, number> };
  invoices: { total: number; byStatus: Record<string, number> };
  /** Σ amount_paid of the invoices, per currency, in minor units. */
  revenue: Record<string, number>;
  payments: {
    succeeded: number;
    failed: number;
    processing: number;
    /** Invoices paid after at least one failed payment (dunning or a fixed card). */
    recovered: number;
  };
  /** Subscriptions that ended: canceled by reason, and incomplete ones that expired. */
  churn: Record<string, number>;
  /** Billing runs executed, by status (`scheduled` ones have not run yet). */
  billingRuns: { executed: number; byStatus: Record<string, number> };
  invariants: InvariantReport;
  chaos?: {
    workerKills: number;
    failedRequests: number;
    droppedAfterCharge: number;
    /** The emulator's own count of successful charges... */
    emulatorChargesSucceeded: number;
    /** ...which must equal our payments that took money (succeeded, or refunded since). */
    paymentsSucceeded: number;
    ok: boolean;
  };
  /** Real time the simulation took; the only field that differs between two runs of one seed. */
  wallTimeMs: number;
}

type Counts = Record<string, number>;

/** The report's figures, read from the database the simulation ran on (its organization only). */
export async function collectFigures(db: Db, organizationId: string) {
  const counts = async (query: RawBuilder<unknown>): Promise<Counts> => {
    const { rows } = (await query.execute(db)) as { rows: { key: string; n: number }[] };
    return Object.fromEntries(rows.map((r) => [r.key, r.n]));
  };
  const subscriptions = await counts(sql`
    select status as key, count(*)::int as n from subscriptions where organization_id = ${organizationId} group by status order by status`);
  const invoices = await counts(sql`
    select status as key, count(*)::int as n from invoices where organization_id = ${organizationId} group by status order by status`);
  const revenue = await counts(sql`
    select currency as key, sum(amount_paid)::bigint as n from invoices where organization_id = ${organizationId} group by currency order by currency`);
  const payments = await counts(sql`
    select p.status as key, count(*)::int as n from payments p join invoices i on i.id = p.invoice_id
    where i.organization_id = ${organizationId} group by p.status order by p.status`);
  const { rows: recovered } = await sql<{ n: number }>`
    select count(*)::int as n from invoices i
    where i.organization_id = ${organizationId} and i.status = 'paid'
      and exists (select 1 from payments p where p.invoice_id = i.id and p.status = 'failed')`.execute(db);
  const churn = await counts(sql`
    select case when status = 'incomplete_expired' then 'incomplete_expired' else coalesce(cancellation_reason, 'unspecified') end as key,
           count(*)::int as n
    from subscriptions where organization_id = ${organizationId} and status in ('canceled', 'incomplete_expired')
    group by 1 order by 1`);
  const runs = await counts(sql`
    select r.status as key, count(*)::int as n from billing_runs r join subscriptions s on s.id = r.subscription_id
    where s.organization_id = ${organizationId} group by r.status order by r.status`);
  const sum = (c: Counts) => Object.values(c).reduce((a, b) => a + b, 0);
  return {
    subscriptions: { total: sum(subscriptions), byStatus: subscriptions },
    invoices: { total: sum(invoices), byStatus: invoices },
    revenue,
    payments: {
      succeeded: (payments.succeeded ?? 0) + (payments.refunded ?? 0),
      failed: payments.failed ?? 0,
      processing: (payments.processing ?? 0) + (payments.requires_action ?? 0),
      recovered: recovered[0]!.n,
    },
    churn,
    billingRuns: { executed: sum(runs) - (runs.scheduled ?? 0), byStatus: runs },
  };
}

/** True when every invariant holds and, with --chaos, no charge is unaccounted for. */
export function reportPasses(report: SimulationReport): boolean {
  return Object.values(report.invariants).every((r) => r.ok) && (report.chaos?.ok ?? true);
}

const money = (minor: number, currency: string) => `${(minor / 100).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${currency}`;
const list = (counts: Counts) => Object.entries(counts).map(([k, n]) => `${k} ${n}`).join(", ") || "none";

/** The report for a terminal. */
export function formatReport(report: SimulationReport): string {
  const lines = [
    `Simulated ${report.customers} customers over ${report.months} months (seed ${report.seed}, decline rate ${report.declineRate}): ${report.simulated.from} → ${report.simulated.to}, cron slots fired: ${list(report.simulated.cronSlots)}`,
    "",
    `subscriptions  ${report.subscriptions.total}: ${list(report.subscriptions.byStatus)}`,
    `invoices       ${report.invoices.total}: ${list(report.invoices.byStatus)}`,
    `revenue        ${Object.entries(report.revenue).map(([c, n]) => money(n, c)).join(", ") || "0"}`,
    `payments       succeeded ${report.payments.succeeded}, failed ${report.payments.failed}, still processing ${report.payments.processing}, invoices recovered after a failure ${report.payments.recovered}`,
    `churn          ${list(report.churn)}`,
    `billing runs   ${report.billingRuns.executed} executed: ${list(report.billingRuns.byStatus)}`,
    `wall time      ${(report.wallTimeMs / 1000).toFixed(1)} s`,
    "",
    "invariants",
    ...Object.entries(report.invariants).map(
      ([name, r]) => `  ${r.ok ? "ok  " : "FAIL"}  ${name}${r.ok ? "" : `: ${r.violations} violations, e.g. ${r.examples.join("; ")}`}`,
    ),
  ];
  if (report.chaos) {
    const c = report.chaos;
    lines.push(
      "",
      `chaos          worker SIGKILLed ${c.workerKills} times, ${c.failedRequests} Stripe requests failed with 5xx, ${c.droppedAfterCharge} connections dropped after the charge`,
      `  ${c.ok ? "ok  " : "FAIL"}  emulator charges succeeded ${c.emulatorChargesSucceeded} = payments succeeded ${c.paymentsSucceeded}`,
    );
  }
  lines.push("", reportPasses(report) ? "every invariant holds" : "INVARIANTS VIOLATED");
  return lines.join("\n");
}
