import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_DIR, runDeployCheck, type DeployCheckReport } from "../../scripts/deploy/deploy-check.ts";

/*
 * The deploy check fails, naming the culprit, on a project with planted faults: a task file that
 * throws while the deployed worker imports it (reported by Trigger.dev's own indexer) and a task
 * that pulls a test helper into the worker. The project is written under .paycron/ (inside the repo,
 * so the workspace's packages resolve; outside git, tsc and eslint) and removed afterwards. An
 * import that cannot resolve (esbuild fails the build) and graphile in a task (its build bundles
 * TypeScript, ~10 s) are covered with their real shapes by deploy-check-rules.test.ts, and were
 * planted by hand in a copy of the checkout when the check was written.
 */
describe("the deploy check on a project with planted faults", () => {
  let project: string;
  let report: DeployCheckReport;

  beforeAll(async () => {
    await mkdir(join(REPO_DIR, ".paycron", "deploy"), { recursive: true });
    project = await mkdtemp(join(REPO_DIR, ".paycron", "deploy", "planted-"));
    await mkdir(join(project, "trigger"));
    const files: Record<string, string> = {
      "trigger.config.ts": `import { defineConfig } from "@trigger.dev/sdk";
export default defineConfig({ project: "proj_planted", dirs: ["./trigger"], runtime: "node-22", maxDuration: 60 });
`,
      "trigger/fine.ts": `import { schemaTask } from "@trigger.dev/sdk";
import { z } from "zod";
export const fine = schemaTask({ id: "fine", schema: z.object({ id: z.string() }), run: async ({ id }) => id });
`,
      "trigger/throws-on-import.ts": `import { task } from "@trigger.dev/sdk";
if (!process.env.PLANTED_NEVER_SET) throw new Error("planted: needs PLANTED_NEVER_SET at import time");
export const throwsOnImport = task({ id: "throws-on-import", run: async () => 1 });
`,
      "trigger/uses-test-helper.ts": `import { task } from "@trigger.dev/sdk";
import { executeAsDeployedWorker } from "@paycron/runtime/testing";
export const usesTestHelper = task({ id: "uses-test-helper", run: async () => typeof executeAsDeployedWorker });
`,
    };
    for (const [path, text] of Object.entries(files)) await writeFile(join(project, path), text);
    report = await runDeployCheck({ projectDir: project });
  }, 300_000);

  afterAll(async () => {
    if (project) await rm(project, { recursive: true, force: true });
  });

  it("fails", () => {
    expect(report.ok).toBe(false);
  });

  it("names the task file that fails to import on the deployed worker, with its error", () => {
    expect(report.problems).toContain(
      "task file trigger/throws-on-import.ts fails to import on the deployed worker: planted: needs PLANTED_NEVER_SET at import time",
    );
  });

  it("names the test helper and the task that pulls it in", () => {
    expect(report.problems).toContain("the deployed worker reaches test helpers: packages/runtime/src/testing/index.ts, imported via trigger/uses-test-helper.ts");
  });

  it("blames nothing on the sound task", () => {
    expect(report.problems.filter((p) => p.includes("fine"))).toEqual([]);
  });
});
