import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_TASKS_DIR, listTaskFiles, loadTaskCatalog, taskIdForFile } from "@paycron/runtime/catalog";
import { taskPayloads } from "@paycron/tasks";

/** The conventions of trigger/ (DESIGN.md "Shape", docs/architecture.md), checked on the real files. */
describe("the production task catalog (trigger/)", async () => {
  const catalog = await loadTaskCatalog();
  const tasks = [...catalog.tasks.values()];

  it("has exactly one task per file, and no id defined twice", () => {
    expect(catalog.problems).toEqual([]);
    expect(tasks.length).toBe(listTaskFiles(DEFAULT_TASKS_DIR).length);
    expect(new Set(tasks.map((t) => t.id)).size).toBe(tasks.length);
  });

  it("names every task after its file path (trigger/stripe/x.ts → stripe-x)", () => {
    for (const t of tasks) expect(t.id, t.file).toBe(taskIdForFile(t.file));
  });

  it("includes the runtime's own upkeep crons (retention runs in daily-cron)", () => {
    expect(catalog.get("outbox-sweep").schedule).toMatchObject({ cron: "* * * * *" });
    expect(catalog.get("daily-cron").schedule).toBeDefined();
  });

  it("gives every schedule an explicit timezone and a zero window", () => {
    for (const t of tasks.filter((t) => t.schedule)) {
      expect(t.schedule!.window, `${t.id}: set cron.window to "0m" (4.8 defaults to a 60-minute window)`).toBe("0m");
      // The string form of `cron` silently means UTC; only the object form states the timezone.
      expect(readFileSync(join(catalog.dir, t.file), "utf8"), `${t.id}: set cron.timezone`).toMatch(/timezone:/);
    }
  });

  it("gives every task a retry policy, from the task or trigger.config.ts retries.default", () => {
    for (const t of tasks) {
      expect(t.retryIsImplicit, `${t.id} has no retry policy: Trigger.dev would not retry it`).toBe(false);
      expect(t.retry.maxAttempts).toBeGreaterThanOrEqual(1);
    }
  });

  it("validates every triggered task with the payload schema from @paycron/tasks", () => {
    const payloadIds = new Set(Object.keys(taskPayloads));
    for (const t of tasks.filter((t) => !t.schedule)) {
      expect(t.kind, `${t.id} must be a schemaTask`).toBe("schema");
      expect(payloadIds.has(t.id), `${t.id} has no schema in @paycron/tasks`).toBe(true);
      expect(t.schema, `${t.id} must use taskPayloads["${t.id}"] itself`).toBe(taskPayloads[t.id as keyof typeof taskPayloads]);
    }
    for (const id of payloadIds) expect(catalog.has(id), `taskPayloads has "${id}" but no trigger/ file defines it`).toBe(true);
  });

  it("keeps task files thin: at most 30 lines and no SQL", () => {
    for (const t of tasks) {
      const source = readFileSync(join(catalog.dir, t.file), "utf8");
      expect(source.trimEnd().split("\n").length, `${t.file} is longer than 30 lines`).toBeLessThanOrEqual(30);
      expect(source, `${t.file} queries the database; move that into a package function`).not.toMatch(
        /selectFrom|insertInto|updateTable|deleteFrom|sql`/,
      );
    }
  });
});
