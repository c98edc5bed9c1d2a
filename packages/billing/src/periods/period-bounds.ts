import { BillingError } from "../errors.ts";
import { fromLocalMs, isIanaTimeZone, toLocalMs } from "./zoned-time.ts";

export type BillingInterval = "day" | "week" | "month" | "year";

export const BILLING_INTERVALS: readonly BillingInterval[] = ["day", "week", "month", "year"];

export interface BillingCadence {
  /** The billing cycle anchor: period 0 starts here, and every boundary keeps its local time. */
  anchor: Date;
  interval: BillingInterval;
  intervalCount: number;
  /** IANA zone of the organization: months, days and midnights are counted on its wall clock. */
  timezone: string;
}

export interface PeriodBoundsInput extends BillingCadence {
  /** 0 is the period starting at the anchor; negative indexes are the periods before it. */
  index: number;
}

export interface PeriodBounds {
  start: Date;
  end: Date;
}

export interface IndexedPeriod extends PeriodBounds {
  index: number;
}

const DAY_MS = 86_400_000;

/**
 * The index-th billing period of a cadence, as [start, end). Every boundary is computed from the
 * anchor, never from the previous boundary, so a clamped month-end does not stick: a Jan 31 anchor
 * gives Feb 28 (29), then Mar 31 again. Months and years keep the anchor's local day (clamped to
 * the month's last day) and local time of day; days and weeks are calendar days of the zone, so a
 * day across a DST change lasts 23 or 25 hours. A local time the clock skips or shows twice is
 * resolved as in zoned-time.ts (skipped: as far past the gap as it was into it; twice: the first).
 */
export function periodBounds(input: PeriodBoundsInput): PeriodBounds {
  const cadence = validCadence(input);
  const index = validIndex(input.index, "index");
  return boundsOf(cadence, index);
}

/** The period that holds `instant` (start ≤ instant < end), with its index. */
export function periodContaining(instant: Date, cadence: BillingCadence): IndexedPeriod {
  const valid = validCadence(cadence);
  const at = validDate(instant, "instant");
  let index = estimateIndex(valid, at);
  // The estimate counts calendar units between local dates; a clamped day or the anchor's time
  // of day can put the instant one period either side of it.
  let bounds = boundsOf(valid, index);
  while (bounds.start.getTime() > at) bounds = boundsOf(valid, --index);
  while (bounds.end.getTime() <= at) bounds = boundsOf(valid, ++index);
  return { index, ...bounds };
}

interface ValidCadence {
  anchorLocal: number;
  interval: BillingInterval;
  intervalCount: number;
  timezone: string;
}

function boundsOf(cadence: ValidCadence, index: number): PeriodBounds {
  return { start: boundary(cadence, index), end: boundary(cadence, index + 1) };
}

function boundary(cadence: ValidCadence, index: number): Date {
  const steps = index * cadence.intervalCount;
  const local =
    cadence.interval === "day"
      ? cadence.anchorLocal + steps * DAY_MS
      : cadence.interval === "week"
        ? cadence.anchorLocal + steps * 7 * DAY_MS
        : addMonths(cadence.anchorLocal, cadence.interval === "year" ? steps * 12 : steps);
  // Beyond what a Date holds (about 270,000 years), only a nonsensical index gets.
  if (!Number.isFinite(local) || Math.abs(local) > MAX_MS) {
    throw invalid("index", `index ${index} (every ${cadence.intervalCount} ${cadence.interval}) gives a period outside the dates a Date can hold`);
  }
  return new Date(fromLocalMs(local, cadence.timezone));
}

const MAX_MS = 8.64e15 - 2 * DAY_MS;

/** Adds calendar months to a local time, keeping its day (clamped to the month's last) and time. */
function addMonths(localMs: number, months: number): number {
  const date = new Date(localMs);
  const monthIndex = date.getUTCFullYear() * 12 + date.getUTCMonth() + months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12;
  const day = Math.min(date.getUTCDate(), month === 1 && isLeap(year) ? 29 : DAYS_IN_MONTH[month]!);
  const result = new Date(localMs);
  result.setUTCFullYear(year, month, day);
  return result.getTime();
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function estimateIndex(cadence: ValidCadence, at: number): number {
  const local = toLocalMs(at, cadence.timezone);
  if (cadence.interval === "day" || cadence.interval === "week") {
    const days = Math.floor(local / DAY_MS) - Math.floor(cadence.anchorLocal / DAY_MS);
    return Math.floor(days / (cadence.intervalCount * (cadence.interval === "week" ? 7 : 1)));
  }
  const from = new Date(cadence.anchorLocal);
  const to = new Date(local);
  const months = (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + (to.getUTCMonth() - from.getUTCMonth());
  return Math.floor(months / (cadence.intervalCount * (cadence.interval === "year" ? 12 : 1)));
}

// Far enough for any subscription, near enough that no arithmetic above leaves the safe integers
// or the range a Date can hold (±8.64e15 ms).
const MAX_YEAR_SPAN = 10_000;

function validCadence(input: BillingCadence): ValidCadence {
  const anchor = validDate(input.anchor, "anchor");
  if (!BILLING_INTERVALS.includes(input.interval)) {
    throw invalid("interval", `interval must be one of ${BILLING_INTERVALS.join(", ")}; got ${describe(input.interval)}`);
  }
  const { intervalCount } = input;
  if (typeof intervalCount !== "number" || !Number.isInteger(intervalCount) || intervalCount < 1 || intervalCount > 10_000) {
    throw invalid("intervalCount", `intervalCount must be an integer from 1 to 10000; got ${describe(intervalCount)}`);
  }
  if (typeof input.timezone !== "string" || !isIanaTimeZone(input.timezone)) {
    throw invalid("timezone", `timezone must be an IANA time zone such as Europe/Paris; got ${describe(input.timezone)}`);
  }
  return { anchorLocal: toLocalMs(anchor, input.timezone), interval: input.interval, intervalCount, timezone: input.timezone };
}

function validIndex(index: number, field: string): number {
  if (typeof index !== "number" || !Number.isSafeInteger(index)) {
    throw invalid(field, `${field} must be an integer; got ${describe(index)}`);
  }
  return index;
}

function validDate(value: Date, field: string): number {
  const ms = value instanceof Date ? value.getTime() : Number.NaN;
  if (Number.isNaN(ms)) throw invalid(field, `${field} must be a valid Date; got ${describe(value)}`);
  if (Math.abs(ms) > MAX_YEAR_SPAN * 365.25 * DAY_MS) {
    throw invalid(field, `${field} must lie within ${MAX_YEAR_SPAN} years of 1970; got ${value.toISOString()}`);
  }
  return ms;
}

function describe(value: unknown): string {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

function invalid(field: string, message: string): BillingError {
  return new BillingError("invalid_period_input", message, { details: { field } });
}
