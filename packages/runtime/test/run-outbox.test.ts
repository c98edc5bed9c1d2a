import { describe, expect, it } from "vitest";
import { TestClock } from "@paycron/core";
import { withTransaction } from "@paycron/db";
import { useTestDb } from "@paycron/db/testing";
import { enqueueUnchecked } from "@paycron/runtime";
import { createRunOutbox, flushRunOutbox, withRunOutbox } from "../src/outbox/run-outbox.ts";

const t = useTestDb();
const clock = new TestClock("2026-06-01T00:00:00Z");

function recorder() {
  const handed: string[][] = [];
  return { handed, outbox: createRunOutbox(async (ids) => void handed.push(ids)) };
}

describe("a run's own outbox rows", () => {
  it("are handed over as soon as their transaction commits, once per transaction, before the run goes on", async () => {
    const { handed, outbox } = recorder();
    await withRunOutbox(outbox, async () => {
      const ids = await withTransaction(t.db, async (tx) => {
        const a = await enqueueUnchecked(tx, "echo", { value: "a" }, { clock });
        const b = await enqueueUnchecked(tx, "echo", { value: "b" }, { clock });
        expect(handed).toEqual([]); // not before the commit
        return [a.id, b.id];
      });
      expect(handed).toEqual([ids]);
    });
    await flushRunOutbox(outbox);
    expect(handed).toHaveLength(1);
  });

  it("are never handed over from a transaction that rolled back", async () => {
    const { handed, outbox } = recorder();
    await withRunOutbox(outbox, async () => {
      await withTransaction(t.db, async (tx) => {
        await enqueueUnchecked(tx, "echo", { value: "never" }, { clock });
        throw new Error("roll back");
      }).catch(() => {});
      expect(handed).toEqual([]);
    });
  });

  it("from a transaction withTransaction did not open still go out when the run ends", async () => {
    const { handed, outbox } = recorder();
    const id = await withRunOutbox(outbox, () =>
      t.db.transaction().execute(async (tx) => (await enqueueUnchecked(tx, "echo", { value: "late" }, { clock })).id),
    );
    expect(handed).toEqual([]);
    await flushRunOutbox(outbox);
    expect(handed).toEqual([[id]]);
  });
});
