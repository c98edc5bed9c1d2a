const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/*
 * Idempotency keys of the sweeps name the tick, not the instant: two firings of one tick enqueue
 * once, and a row still due at the next tick gets a new key, so a lost run never strands it.
 */

/** `<row id>@<now truncated to the UTC hour>`. */
export function hourlyKey(rowId: string, now: Date): string {
  return `${rowId}@${new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS).toISOString()}`;
}

/** `<row id>@<now truncated to the UTC day>`. */
export function dailyKey(rowId: string, now: Date): string {
  return `${rowId}@${new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS).toISOString()}`;
}

