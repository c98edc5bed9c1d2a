/*
 * Wall-clock time in an IANA timezone, from Intl alone (no tz library): an instant's local fields,
 * and the instant of a local date and time. A local time is represented as the epoch milliseconds
 * it would have in UTC ("local ms"), so calendar arithmetic on it is plain Date.UTC arithmetic.
 */

const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      era: "short",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock time at `instantMs` in `timeZone`, as local ms. */
export function toLocalMs(instantMs: number, timeZone: string): number {
  const fields: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(instantMs)) fields[part.type] = part.value;
  // Intl has no year 0 or negative years: BC years count backwards from 1.
  const year = fields.era === "BC" || fields.era === "B" ? 1 - Number(fields.year) : Number(fields.year);
  const wholeSeconds = Date.UTC(
    year,
    Number(fields.month) - 1,
    Number(fields.day),
    Number(fields.hour),
    Number(fields.minute),
    Number(fields.second),
  );
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear does not.
  const fixed = year >= 0 && year < 100 ? fixCentury(wholeSeconds, year) : wholeSeconds;
  return fixed + mod(instantMs, 1000);
}

function fixCentury(ms: number, year: number): number {
  const date = new Date(ms);
  date.setUTCFullYear(year);
  return date.getTime();
}

function mod(a: number, b: number): number {
  return ((a % b) + b) % b;
}

/** UTC offset at an instant, in ms (local minus UTC). */
function offsetAt(instantMs: number, timeZone: string): number {
  return toLocalMs(instantMs, timeZone) - instantMs;
}

/**
 * The instant at which the wall clock in `timeZone` reads `localMs`. Where the clock skips that
 * time (spring forward), it is read with the offset in force before the change, which lands as
 * far past the gap as the time was into it (02:30 in a 02:00→03:00 gap becomes 03:30). Where the
 * clock shows it twice (fall back), the earlier instant. Both are what RFC 5545 and Temporal's
 * "compatible" disambiguation do. Assumes at most one offset change within a day of `localMs`,
 * which holds for every zone in the tz database except a few that skipped a whole calendar day
 * (Pacific/Apia on 2011-12-30), where the skipped date maps to the same instant as the next one.
 */
export function fromLocalMs(localMs: number, timeZone: string): number {
  const before = offsetAt(localMs - DAY_MS, timeZone);
  const after = offsetAt(localMs + DAY_MS, timeZone);
  const withOffsetBefore = localMs - before;
  const withOffsetAfter = localMs - after;
  const beforeFits = toLocalMs(withOffsetBefore, timeZone) === localMs;
  const afterFits = toLocalMs(withOffsetAfter, timeZone) === localMs;
  if (beforeFits && afterFits) return Math.min(withOffsetBefore, withOffsetAfter);
  if (afterFits) return withOffsetAfter;
  return withOffsetBefore;
}

/**
 * Whether Intl knows `timeZone` as a named zone. Offsets ("+01:00"), which newer engines accept,
 * are refused: they have no DST rules, and an organization's zone is a place.
 */
export function isIanaTimeZone(timeZone: string): boolean {
  if (timeZone.length === 0 || /^[+\-\u2212\d]/.test(timeZone)) return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}
