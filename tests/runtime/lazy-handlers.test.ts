import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

describe("the task catalog", () => {
  it("loads every task's definition without importing the packages their handlers use", () => {
    const script = fileURLToPath(new URL("./fixtures/report-loaded-modules.ts", import.meta.url));
    const report = JSON.parse(execFileSync(process.execPath, ["--import", "tsx", script], { encoding: "utf8" })) as { tasks: number; loaded: string[] };
    expect(report.tasks).toBeGreaterThan(10);
    // What task definitions need: the SDK glue (runtime), the payload contracts (tasks) and what those import.
    expect(report.loaded).toContain("packages/runtime");
    expect(report.loaded).toContain("packages/tasks");
    // Handlers' packages load when a task runs (runTask imports them lazily), never just to list tasks.
    expect(report.loaded).not.toContain("packages/inbox");
    expect(report.loaded).not.toContain("packages/stripe");
    expect(report.loaded).not.toContain("packages/local-engine");
  });
});
