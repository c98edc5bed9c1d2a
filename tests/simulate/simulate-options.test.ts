import { describe, expect, it } from "vitest";
import { useTestDb } from "@paycron/db/testing";
import { paycron } from "../support/paycron-cli.ts";
import { expectInvariantsHold, simulate } from "./simulate-cli.ts";

const t = useTestDb();
const VALID = { customers: "5", months: "1", "decline-rate": "0.2", seed: "1" };
const argsWith = (overrides: Record<string, string | null>) =>
  Object.entries({ ...VALID, ...overrides }).flatMap(([name, value]) => (value === null ? [] : [`--${name}`, value]));

describe("paycron simulate: options", () => {
  it.each([
    [{ customers: "0" }, '--customers must be an integer from 1 to 100000, got "0"'],
    [{ customers: "2.5" }, '--customers must be an integer from 1 to 100000, got "2.5"'],
    [{ customers: null }, "--customers is required (an integer from 1 to 100000)"],
    [{ months: "121" }, '--months must be an integer from 1 to 120, got "121"'],
    [{ months: "twelve" }, '--months must be an integer from 1 to 120, got "twelve"'],
    [{ "decline-rate": "1.5" }, '--decline-rate must be a fraction from 0 to 1 (e.g. 0.1 for 10%), got "1.5"'],
    [{ "decline-rate": "10%" }, '--decline-rate must be a fraction from 0 to 1 (e.g. 0.1 for 10%), got "10%"'],
    [{ "decline-rate": null }, "--decline-rate is required (a fraction from 0 to 1, e.g. 0.1)"],
    [{ seed: "-1" }, '--seed must be an integer from 0 to 4294967295, got "-1"'],
    [{ seed: null }, "--seed is required (an integer from 0 to 4294967295)"],
    [{ "database-url": "mysql://localhost/x" }, '--database-url must be a postgres:// URL, got "mysql://localhost/x"'],
  ])("refuses %j with exit 2 and says why", async (overrides, message) => {
    const result = await paycron(t.url, ["simulate", ...argsWith(overrides), "--json"]);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error: ${message}`);
    expect(result.stdout).toBe("");
  });

  it("--database-url migrates that database, runs there and leaves the data; a database with data is refused", async () => {
    const { code, report } = await simulate(argsWith({ customers: "8" }), t.url, ["--database-url", t.url]);

    expect(code).toBe(0);
    expectInvariantsHold(report);
    const organizations = await t.db.selectFrom("organizations").select("name").execute();
    expect(organizations).toEqual([{ name: "Simulated SaaS (seed 1)" }]);
    const subscriptions = await t.db.selectFrom("subscriptions").select("id").execute();
    expect(subscriptions).toHaveLength(8);
    const invoices = await t.db.selectFrom("invoices").select("id").execute();
    expect(invoices).toHaveLength(report.invoices.total);

    const again = await paycron(t.url, ["simulate", ...argsWith({}), "--database-url", t.url]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("error: --database-url: the database already holds 1 organizations");
  }, 300_000);
});
