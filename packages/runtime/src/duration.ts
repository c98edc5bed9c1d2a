import { DomainError } from "@paycron/core";

const UNITS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** "90s", "10m", "2h", "7d", "1w" or a number of milliseconds, as Trigger.dev accepts them. */
export function parseDuration(value: string | number): number {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0) throw new DomainError("INVALID_DURATION", `invalid duration ${value}`);
    return value;
  }
  const match = /^(\d+)(ms|s|m|h|d|w)$/.exec(value.trim());
  if (!match) throw new DomainError("INVALID_DURATION", `invalid duration "${value}": use a number with ms, s, m, h, d or w`);
  return Number(match[1]) * UNITS[match[2] as keyof typeof UNITS];
}
