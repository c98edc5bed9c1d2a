import { runCatchUpSweep, type SweepCount, type SweepDeps, type SweepOptions } from "./catch-up-sweep.ts";
import { dueBillingRuns } from "./due-billing-runs.ts";
import { duePeriodTransitions } from "./due-period-transitions.ts";
import { expiredRunLeases } from "./expired-run-leases.ts";
import { stalePayments } from "./stale-payments.ts";

export interface HourlySweepReport {
  dueRuns: SweepCount;
  periodTransitions: SweepCount;
  expiredLeases: SweepCount;
  stalePayments: SweepCount;
  /** Pages read over all sweeps. */
  pages: number;
}

/**
 * The hourly cron: hands every due billing run, ended period, expired run lease and stale payment
 * to its per-item task through the outbox. Each query takes everything due as of `clock.now()`
 * (no `[last tick, now]` window), so the tick after a missed one, or after a day of downtime,
 * catches up; the per-item tasks are claims, so handing a row over again is harmless.
 */
export async function sweepHourly(deps: SweepDeps, options: SweepOptions = {}): Promise<HourlySweepReport> {
  const now = deps.clock.now();
  const dueRuns = await runCatchUpSweep(deps, dueBillingRuns, now, options);
  const periodTransitions = await runCatchUpSweep(deps, duePeriodTransitions, now, options);
  const expiredLeases = await runCatchUpSweep(deps, expiredRunLeases, now, options);
  const payments = await runCatchUpSweep(deps, stalePayments, now, options);
  const report: HourlySweepReport = {
    dueRuns,
    periodTransitions,
    expiredLeases,
    stalePayments: payments,
    pages: dueRuns.pages + periodTransitions.pages + expiredLeases.pages + payments.pages,
  };
  deps.logger.info({ ...report, now }, "hourly sweep");
  return report;
}
