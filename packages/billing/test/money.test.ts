import { describe, expect, it } from "vitest";
import { isDomainError } from "@paycron/core";
import { multiplyMinor, roundMinor, sumMinor } from "../src/index.ts";

const thrown = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
};

describe("multiplyMinor", () => {
  it("multiplies exactly", () => {
    expect(multiplyMinor(3, 4900)).toBe(14_700);
    expect(multiplyMinor(0, 4900)).toBe(0);
    expect(multiplyMinor(94_906_265, 94_906_265)).toBe(9_007_199_136_250_225);
  });

  it("refuses a product past the safe integer range instead of rounding it", () => {
    const error = thrown(() => multiplyMinor(2 ** 27, 2 ** 27));
    expect(isDomainError(error, "amount_out_of_range")).toBe(true);
    expect(isDomainError(thrown(() => multiplyMinor(Number.MAX_SAFE_INTEGER, 2)), "amount_out_of_range")).toBe(true);
  });

  it("refuses factors that are not non-negative integers", () => {
    for (const [q, u] of [[-1, 5], [1.5, 2], [2, 0.1], [Number.NaN, 1], [1, Infinity], [2 ** 53, 1]] as const) {
      expect(isDomainError(thrown(() => multiplyMinor(q, u)), "amount_out_of_range"), `${q} × ${u}`).toBe(true);
    }
  });
});

describe("roundMinor", () => {
  it("rounds half away from zero, on either sign of numerator and denominator", () => {
    expect(roundMinor(5, 2)).toBe(3);
    expect(roundMinor(-5, 2)).toBe(-3);
    expect(roundMinor(5, -2)).toBe(-3);
    expect(roundMinor(-5, -2)).toBe(3);
    expect(roundMinor(15, 10)).toBe(2);
    expect(roundMinor(-15, 10)).toBe(-2);
    expect(roundMinor(25, 10)).toBe(3); // not to even (banker's rounding would give 2)
    expect(roundMinor(-25, 10)).toBe(-3);
  });

  it("rounds below half toward zero and above half away from it", () => {
    expect(roundMinor(7, 3)).toBe(2);
    expect(roundMinor(8, 3)).toBe(3);
    expect(roundMinor(-7, 3)).toBe(-2);
    expect(roundMinor(-8, 3)).toBe(-3);
    expect(roundMinor(1, 3)).toBe(0);
    expect(roundMinor(-1, 3)).toBe(0); // 0, never -0
    expect(roundMinor(12, 4)).toBe(3);
  });

  it("is exact on huge values, where floating point is not", () => {
    // (2^53 − 1) / 2 = 2^52 − 0.5: Math.round gives −2^52 + 1 for the negative one.
    expect(roundMinor(Number.MAX_SAFE_INTEGER, 2)).toBe(2 ** 52);
    expect(roundMinor(-Number.MAX_SAFE_INTEGER, 2)).toBe(-(2 ** 52));
    // (3·2^59 − 1) / 2^60 is just under 1.5; as floats the numerator becomes 3·2^59 and 1.5 rounds to 2.
    expect(roundMinor(3n * 2n ** 59n - 1n, 2n ** 60n)).toBe(1);
    expect(roundMinor(-(3n * 2n ** 59n - 1n), 2n ** 60n)).toBe(-1);
    expect(roundMinor(3n * 2n ** 59n, 2n ** 60n)).toBe(2);
    // An amount × a duration in milliseconds: 9,999,999.99 × 30 days' worth, over 31 days.
    const amount = 999_999_999n;
    expect(roundMinor(amount * 2_592_000_000n, 2_678_400_000n)).toBe(967_741_935); // 967741934.516… → up
  });

  it("refuses a zero denominator, non-integers and a result outside the safe range", () => {
    expect(isDomainError(thrown(() => roundMinor(1, 0)), "amount_out_of_range")).toBe(true);
    expect(isDomainError(thrown(() => roundMinor(1.5, 2)), "amount_out_of_range")).toBe(true);
    expect(isDomainError(thrown(() => roundMinor(2 ** 53, 2)), "amount_out_of_range")).toBe(true);
    expect(isDomainError(thrown(() => roundMinor(2n ** 60n, 1n)), "amount_out_of_range")).toBe(true);
  });
});

describe("sumMinor", () => {
  it("adds exactly and refuses a sum outside the safe range", () => {
    expect(sumMinor([])).toBe(0);
    expect(sumMinor([9800, 500, 0])).toBe(10_300);
    expect(isDomainError(thrown(() => sumMinor([Number.MAX_SAFE_INTEGER, 1])), "amount_out_of_range")).toBe(true);
  });
});
