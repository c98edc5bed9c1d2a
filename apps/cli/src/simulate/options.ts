/** What `paycron simulate` takes; every field checked by parseSimulationOptions. */
export interface SimulationOptions {
  customers: number;
  months: number;
  /** Fraction of customers whose card declines, in [0, 1]. */
  declineRate: number;
  seed: number;
  /** Run (and leave the data) in this Postgres, migrated first; otherwise a temporary embedded one. */
  databaseUrl?: string;
  chaos: boolean;
}

export const LIMITS = { customers: { min: 1, max: 100_000 }, months: { min: 1, max: 120 }, seed: { max: 4_294_967_295 } } as const;

export class SimulationOptionsError extends Error {
  override readonly name = "SimulationOptionsError";
}

export interface RawSimulationOptions {
  customers?: string;
  months?: string;
  declineRate?: string;
  seed?: string;
  databaseUrl?: string;
  chaos?: boolean;
}

const INTEGER = /^[0-9]+$/;
const DECIMAL = /^(?:0|1|0?\.[0-9]+|[01]\.0*|0\.[0-9]+)$/;

/** Parses the command line's strings; throws SimulationOptionsError naming the option and what it accepts. */
export function parseSimulationOptions(raw: RawSimulationOptions): SimulationOptions {
  const customers = integer("--customers", raw.customers, LIMITS.customers.min, LIMITS.customers.max);
  const months = integer("--months", raw.months, LIMITS.months.min, LIMITS.months.max);
  const seed = integer("--seed", raw.seed, 0, LIMITS.seed.max);
  const declineRate = rate("--decline-rate", raw.declineRate);
  let databaseUrl: string | undefined;
  if (raw.databaseUrl !== undefined) {
    const url = URL.canParse(raw.databaseUrl) ? new URL(raw.databaseUrl) : undefined;
    if (!url || (url.protocol !== "postgres:" && url.protocol !== "postgresql:")) {
      throw new SimulationOptionsError(`--database-url must be a postgres:// URL, got "${raw.databaseUrl}"`);
    }
    databaseUrl = raw.databaseUrl;
  }
  return { customers, months, declineRate, seed, ...(databaseUrl ? { databaseUrl } : {}), chaos: raw.chaos ?? false };
}

function integer(name: string, value: string | undefined, min: number, max: number): number {
  if (value === undefined) throw new SimulationOptionsError(`${name} is required (an integer from ${min} to ${max})`);
  const n = INTEGER.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new SimulationOptionsError(`${name} must be an integer from ${min} to ${max}, got "${value}"`);
  }
  return n;
}

function rate(name: string, value: string | undefined): number {
  if (value === undefined) throw new SimulationOptionsError(`${name} is required (a fraction from 0 to 1, e.g. 0.1)`);
  const n = DECIMAL.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isFinite(n) || n < 0 || n > 1) {
    throw new SimulationOptionsError(`${name} must be a fraction from 0 to 1 (e.g. 0.1 for 10%), got "${value}"`);
  }
  return n;
}
