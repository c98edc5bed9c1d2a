import { describe, expect, it } from "vitest";
import { migrationStatus } from "@paycron/db";
import { useTestDb } from "@paycron/db/testing";
import { paycron as run } from "../support/paycron-cli.ts";

const t = useTestDb();
const paycron = (args: string[]) => run(t.url, args);
const applied = async () => (await migrationStatus(t.db)).filter((m) => m.executedAt).map((m) => m.name);

describe("pnpm paycron migrate down", () => {
  it("rolls nothing back without --yes when there is no terminal to ask on, and rolls back the last migration with it", async () => {
    const before = await applied();
    const last = before.at(-1)!;

    const refused = await paycron(["migrate", "down"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr.split("\n", 1)[0]).toBe(`paycron: migrate down would roll back ${last} and drop what it made, data included: pass --yes to do it`);
    expect(await applied()).toEqual(before);

    const done = await paycron(["migrate", "down", "--yes"]);
    expect(done.code).toBe(0);
    expect(done.stdout).toBe(`rolled back  ${last}  Success\n`);
    expect(await applied()).toEqual(before.slice(0, -1));

    const up = await paycron(["migrate", "up"]);
    expect(up.stdout).toBe(`applied  ${last}  Success\n`);
    expect(await applied()).toEqual(before);
  }, 180_000);
});
