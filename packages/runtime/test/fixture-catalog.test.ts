import { describe, expect, it } from "vitest";
import { loadTaskCatalog, taskIdForFile } from "@paycron/runtime/catalog";
import { FIXTURES_DIR } from "../../../tests/support/task-fixtures.ts";

describe("loadTaskCatalog", () => {
  it("loads a configurable directory and derives ids from nested paths", async () => {
    const catalog = await loadTaskCatalog({ dir: FIXTURES_DIR });
    expect(catalog.problems).toEqual([]);
    expect(catalog.get("nested-spawn-child").file).toBe("nested/spawn-child.ts");
    expect(taskIdForFile("stripe/payment-intent-succeeded.ts")).toBe("stripe-payment-intent-succeeded");
  });

  it("merges a task's retry over nothing and falls back to trigger.config.ts retries.default", async () => {
    const catalog = await loadTaskCatalog({ dir: FIXTURES_DIR });
    expect(catalog.get("echo").retry).toEqual({ maxAttempts: 2, factor: 2, minTimeoutInMs: 20, maxTimeoutInMs: 200, randomize: false });
    expect(catalog.get("flaky").retry.maxAttempts).toBe(4);
    expect(catalog.get("limited").concurrency).toEqual({ total: 2, perKey: undefined, limits: [{ name: "fixture-api", total: 3, perKey: undefined }] });
    expect(catalog.get("echo").maxDurationSeconds).toBe(30);
  });

  it("names the unknown task in its error", async () => {
    const catalog = await loadTaskCatalog({ dir: FIXTURES_DIR });
    expect(() => catalog.get("nope")).toThrow(/unknown task "nope"/);
  });
});
