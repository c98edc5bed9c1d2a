import { describe, expect, it } from "vitest";
import { useTestDb } from "@paycron/db/testing";
import { paycron } from "../support/paycron-cli.ts";
import { expectInvariantsHold, simulate } from "./simulate-cli.ts";

const t = useTestDb();
const VALID = { customers: "5", months: "1", "decline-rate": "0.2", seed: "1" };
const argsWith = (overrides: Record<string, string | null>) =>
  Object.entries({ ...VALID, ...overrides }).flatMap(([name, value]) => (value === null ? [] : [`--${name}`, value]));

describe("paycron simulate: options", () => {
  // Every rule is unit-tested beside the parser (apps/cli/src/simulate/options.test.ts); here, how
  // the command reports a refusal: exit 2, the reason on stderr, nothing on stdout.
  it.each([
    [{ customers: "0" }, '--customers must be an integer from 1 to 100000, got "0"'],
    [{ "decline-rate": null }, "--decline-rate is required (a fraction from 0 to 1, e.g. 0.1)"],
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
