import { BillingError } from "../errors.ts";

/*
 * Amounts are integer minor units held in `number`s that must stay safe integers (Postgres bigint
 * and the pool's int8 parser refuse anything else). Arithmetic that could leave that range or
 * need rounding is done in bigint here, never in floating point.
 */

const MAX = BigInt(Number.MAX_SAFE_INTEGER);

/** quantity × unitAmount, exact. Both must be non-negative integers and the product safe. */
export function multiplyMinor(quantity: number, unitAmount: number): number {
  requireNonNegativeInteger(quantity, "quantity");
  requireNonNegativeInteger(unitAmount, "unitAmount");
  return toSafeNumber(BigInt(quantity) * BigInt(unitAmount), `${quantity} × ${unitAmount}`);
}

/** Σ amounts, exact; refused rather than rounded when the sum leaves the safe integer range. */
export function sumMinor(amounts: readonly number[]): number {
  let total = 0n;
  for (const amount of amounts) {
    if (!Number.isSafeInteger(amount)) throw outOfRange(`amount ${amount} is not a safe integer`, { amount });
    total += BigInt(amount);
  }
  return toSafeNumber(total, "the sum of the amounts");
}

/**
 * numerator / denominator rounded to the minor unit, half away from zero (2.5 → 3, −2.5 → −3,
 * 2.4 → 2): the project's one rounding rule, for every division of an amount (prorations,
 * splits). Exact: computed in bigint, so a numerator past 2^53 (an amount × a duration in
 * milliseconds) rounds as correctly as a small one. The result must be a safe integer.
 */
export function roundMinor(numerator: number | bigint, denominator: number | bigint): number {
  const n = toBigInt(numerator, "numerator");
  const d = toBigInt(denominator, "denominator");
  if (d === 0n) throw outOfRange("cannot divide an amount by zero", { denominator: String(denominator) });
  const quotient = n / d; // truncates toward zero
  const remainder = n % d; // carries the numerator's sign
  const abs = (x: bigint) => (x < 0n ? -x : x);
  // Half or more of the divisor left over: one more unit, away from zero.
  const awayFromZero = 2n * abs(remainder) >= abs(d);
  const rounded = awayFromZero ? quotient + ((n < 0n) !== (d < 0n) ? -1n : 1n) : quotient;
  return toSafeNumber(rounded, `${n} / ${d}`);
}

function toBigInt(value: number | bigint, field: string): bigint {
  if (typeof value === "bigint") return value;
  if (!Number.isSafeInteger(value)) throw outOfRange(`${field} ${value} is not a safe integer`, { field, value });
  return BigInt(value);
}

function requireNonNegativeInteger(value: number, field: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw outOfRange(`${field} must be a non-negative integer, got ${value}`, { field, value });
  }
}

function toSafeNumber(value: bigint, what: string): number {
  if (value > MAX || value < -MAX) throw outOfRange(`${what} = ${value} is outside the safe integer range`, { value: String(value) });
  return Number(value);
}

function outOfRange(message: string, details: Record<string, unknown>): BillingError {
  return new BillingError("amount_out_of_range", message, { details });
}
