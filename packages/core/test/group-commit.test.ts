import { setImmediate as nextTick } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { createGroupCommit } from "../src/index.ts";

/** A writeMany whose writes the test finishes by hand, recording each batch it was given. */
function heldWrites() {
  const batches: number[][] = [];
  const finish: Array<() => void> = [];
  const writeMany = (items: number[]) => {
    batches.push(items);
    return new Promise<number[]>((resolve) => finish.push(() => resolve(items.map((i) => i * 10))));
  };
  return { batches, writeMany, finishNext: () => finish.shift()!() };
}

describe("createGroupCommit", () => {
  it("queues arrivals behind the writes in flight and sends them together, at most maxSize at a time", async () => {
    const { batches, writeMany, finishNext } = heldWrites();
    const write = createGroupCommit(writeMany, { maxSize: 3, maxInFlight: 1 });
    const results = [1, 2, 3, 4, 5, 6].map((i) => write(i));
    expect(batches).toEqual([[1]]); // a free slot: the first goes out at once, alone
    finishNext();
    await nextTick();
    expect(batches).toEqual([[1], [2, 3, 4]]);
    finishNext();
    await nextTick();
    finishNext();
    expect(await Promise.all(results)).toEqual([10, 20, 30, 40, 50, 60]);
    expect(batches).toEqual([[1], [2, 3, 4], [5, 6]]);
  });

  it("keeps at most maxInFlight writes out, and answers a caller only once its own write resolved", async () => {
    const { batches, writeMany, finishNext } = heldWrites();
    const write = createGroupCommit(writeMany, { maxSize: 10, maxInFlight: 2 });
    const answered: number[] = [];
    const results = [1, 2, 3].map((i) =>
      write(i).then((result) => {
        answered.push(i);
        return result;
      }),
    );
    expect(batches).toEqual([[1], [2]]);
    await nextTick();
    expect(answered).toEqual([]);
    finishNext();
    await nextTick();
    expect(answered).toEqual([1]);
    expect(batches).toEqual([[1], [2], [3]]);
    finishNext();
    finishNext();
    expect(await Promise.all(results)).toEqual([10, 20, 30]);
  });

  it("with joinTick, sends the calls of one tick as one batch", async () => {
    const { batches, writeMany, finishNext } = heldWrites();
    const write = createGroupCommit(writeMany, { maxSize: 10, maxInFlight: 2, joinTick: true });
    const results = [1, 2, 3].map((i) => write(i));
    expect(batches).toEqual([]);
    await nextTick();
    expect(batches).toEqual([[1, 2, 3]]);
    finishNext();
    expect(await Promise.all(results)).toEqual([10, 20, 30]);
  });

  it("with writeOne, writes a failed batch again item by item, so only the failing item's caller hears of it", async () => {
    const writeMany = (items: number[]) => (items.includes(13) ? Promise.reject(new Error("batch failed")) : Promise.resolve(items));
    const writeOne = (item: number) => (item === 13 ? Promise.reject(new Error(`item ${item} failed`)) : Promise.resolve(-item));
    const write = createGroupCommit(writeMany, { maxSize: 10, maxInFlight: 1, writeOne });
    const settled = await Promise.allSettled([1, 2, 13, 4].map((i) => write(i)));
    expect(settled).toEqual([
      { status: "fulfilled", value: -1 }, // alone: written by writeOne
      { status: "fulfilled", value: -2 },
      { status: "rejected", reason: new Error("item 13 failed") },
      { status: "fulfilled", value: -4 },
    ]);
  });

  it("without writeOne, a failed batch fails each of its callers", async () => {
    const write = createGroupCommit((items: number[]) => (items.includes(13) ? Promise.reject(new Error("batch failed")) : Promise.resolve(items)), {
      maxSize: 10,
      maxInFlight: 1,
      joinTick: true,
    });
    const settled = await Promise.allSettled([1, 13, 4].map((i) => write(i)));
    expect(settled.map((s) => s.status)).toEqual(["rejected", "rejected", "rejected"]);
    expect(await write(5)).toBe(5);
  });
});
