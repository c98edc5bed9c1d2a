export { DEFAULT_PAGE_SIZE, type SweepCount, type SweepDeps, type SweepOptions } from "./catch-up-sweep.ts";
export { sweepHourly, type HourlySweepReport } from "./sweep-hourly.ts";
export { sweepDaily, type DailySweepOptions, type DailySweepReport } from "./sweep-daily.ts";
