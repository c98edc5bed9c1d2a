export { DEFAULT_PAGE_SIZE, type SweepCount, type SweepDeps, type SweepOptions } from "./catch-up-sweep.ts";
export { ADVANCE_BATCH_SIZE } from "./due-period-transitions.ts";
export { sweepHourly, type HourlySweepReport } from "./sweep-hourly.ts";
export { sweepDaily, type DailySweepOptions, type DailySweepReport } from "./sweep-daily.ts";
