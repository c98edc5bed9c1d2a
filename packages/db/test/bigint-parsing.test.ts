import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { useTestDb } from "../src/testing/index.ts";

const t = useTestDb();

const readInt8 = async (literal: string) => (await sql<{ n: number }>`select ${sql.raw(literal)}::int8 as n`.execute(t.db)).rows[0]!.n;

describe("bigint through the pool", () => {
  it("reads int8 as a number up to 2^53 - 1, either sign", async () => {
    expect(await readInt8("9007199254740991")).toBe(Number.MAX_SAFE_INTEGER);
    expect(await readInt8("-9007199254740991")).toBe(Number.MIN_SAFE_INTEGER);
    expect(await readInt8("0")).toBe(0);
  });

  it("refuses a value beyond 2^53 instead of rounding it, and the pool stays usable", async () => {
    await expect(readInt8("9007199254740992")).rejects.toThrow(new RangeError("bigint 9007199254740992 is outside the safe integer range"));
    await expect(readInt8("-9007199254740993")).rejects.toThrow(new RangeError("bigint -9007199254740993 is outside the safe integer range"));
    await expect(readInt8("9223372036854775807")).rejects.toThrow(RangeError);
    expect(await readInt8("42")).toBe(42);
  });
});
