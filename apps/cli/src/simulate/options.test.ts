import { describe, expect, it } from "vitest";
import { parseSimulationOptions, SimulationOptionsError, type RawSimulationOptions } from "./options.ts";

const VALID: RawSimulationOptions = { customers: "200", months: "12", declineRate: "0.1", seed: "42" };

describe("parseSimulationOptions", () => {
  it("takes integers, a fraction, an optional postgres URL and --chaos", () => {
    expect(parseSimulationOptions(VALID)).toEqual({ customers: 200, months: 12, declineRate: 0.1, seed: 42, chaos: false });
    expect(parseSimulationOptions({ ...VALID, declineRate: "1", seed: "0", databaseUrl: "postgresql://u:p@h:5432/db", chaos: true })).toEqual({
      customers: 200,
      months: 12,
      declineRate: 1,
      seed: 0,
      databaseUrl: "postgresql://u:p@h:5432/db",
      chaos: true,
    });
    expect(parseSimulationOptions({ ...VALID, declineRate: ".25" }).declineRate).toBe(0.25);
    expect(parseSimulationOptions({ ...VALID, declineRate: "0" }).declineRate).toBe(0);
  });

  it.each([
    [{ customers: "0" }, '--customers must be an integer from 1 to 100000, got "0"'],
    [{ customers: "100001" }, '--customers must be an integer from 1 to 100000, got "100001"'],
    [{ customers: "2.5" }, '--customers must be an integer from 1 to 100000, got "2.5"'],
    [{ customers: "1e3" }, '--customers must be an integer from 1 to 100000, got "1e3"'],
    [{ customers: undefined }, "--customers is required (an integer from 1 to 100000)"],
    [{ months: "0" }, '--months must be an integer from 1 to 120, got "0"'],
    [{ months: "121" }, '--months must be an integer from 1 to 120, got "121"'],
    [{ months: "twelve" }, '--months must be an integer from 1 to 120, got "twelve"'],
    [{ declineRate: "1.5" }, '--decline-rate must be a fraction from 0 to 1 (e.g. 0.1 for 10%), got "1.5"'],
    [{ declineRate: "-0.1" }, '--decline-rate must be a fraction from 0 to 1 (e.g. 0.1 for 10%), got "-0.1"'],
    [{ declineRate: "10%" }, '--decline-rate must be a fraction from 0 to 1 (e.g. 0.1 for 10%), got "10%"'],
    [{ declineRate: "NaN" }, '--decline-rate must be a fraction from 0 to 1 (e.g. 0.1 for 10%), got "NaN"'],
    [{ declineRate: undefined }, "--decline-rate is required (a fraction from 0 to 1, e.g. 0.1)"],
    [{ seed: "-1" }, '--seed must be an integer from 0 to 4294967295, got "-1"'],
    [{ seed: "4294967296" }, '--seed must be an integer from 0 to 4294967295, got "4294967296"'],
    [{ seed: undefined }, "--seed is required (an integer from 0 to 4294967295)"],
    [{ databaseUrl: "mysql://localhost/x" }, '--database-url must be a postgres:// URL, got "mysql://localhost/x"'],
    [{ databaseUrl: "not a url" }, '--database-url must be a postgres:// URL, got "not a url"'],
  ])("refuses %j: %s", (overrides, message) => {
    const parse = () => parseSimulationOptions({ ...VALID, ...overrides });
    expect(parse).toThrow(SimulationOptionsError);
    expect(parse).toThrow(message);
  });
});
