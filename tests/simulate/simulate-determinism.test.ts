import { describe, expect, it } from "vitest";
import { expectInvariantsHold, simulate, type Report } from "./simulate-cli.ts";

const ARGS = ["--customers", "30", "--months", "2", "--decline-rate", "0.3"];
const withoutWallTime = ({ wallTimeMs: _, ...rest }: Report) => rest;

describe("paycron simulate: a seed is a scenario", () => {
  it("gives the same report for the same seed, wall time aside, and another for another seed", async () => {
    const first = await simulate([...ARGS, "--seed", "7"]);
    const second = await simulate([...ARGS, "--seed", "7"]);
    const other = await simulate([...ARGS, "--seed", "8"]);

    for (const run of [first, second, other]) {
      expect(run.code).toBe(0);
      expectInvariantsHold(run.report);
    }
    expect(withoutWallTime(second.report)).toEqual(withoutWallTime(first.report));
    expect(first.report.invoices.total).toBeGreaterThan(0);
    expect(withoutWallTime(other.report)).not.toEqual(withoutWallTime(first.report));
  }, 600_000);
});
