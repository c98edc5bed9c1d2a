import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { alwaysExternal } from "@trigger.dev/core/v3/build";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { startIndexApiStandIn } from "../../scripts/deploy/index-api-stand-in.ts";
import {
  CLI_PACKAGE_DIR,
  cliModules,
  cliVersion,
  createCliApiClient,
  imagePathOf,
  IMAGE_APP_DIR,
  offlineForcedExternals,
  payloadJsonSchema,
  PINNED_CLI_VERSION,
  SHIM_ONLY_MAX_BYTES,
} from "../../scripts/deploy/trigger-cli-internals.ts";

/*
 * The trigger.dev CLI internals the deploy check relies on (scripts/deploy/trigger-cli-internals.ts).
 * They are not the package's public API: when an upgrade moves or changes them, this file fails
 * first and says what moved. Each expectation quotes what `trigger deploy` 4.8.3 does.
 */
const require = createRequire(import.meta.url);
const versionOf = (pkg: string) => (JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), "utf8")) as { version: string }).version;
const cliSource = (path: string) => readFileSync(join(CLI_PACKAGE_DIR, "dist", "esm", path), "utf8");

describe("trigger.dev CLI internals the deploy check relies on", () => {
  it("pins the CLI to the SDK's version, the one these internals were read from", () => {
    expect(cliVersion()).toBe(PINNED_CLI_VERSION);
    expect(versionOf("@trigger.dev/sdk")).toBe(PINNED_CLI_VERSION);
  });

  it("finds loadConfig, buildWorker, resolveAlwaysExternal, rewriteOutputPath and CliApiClient by file path", async () => {
    const modules = await cliModules();
    for (const name of ["loadConfig", "buildWorker", "resolveAlwaysExternal", "rewriteOutputPath", "CliApiClient"] as const) {
      expect(typeof modules[name], name).toBe("function");
    }
  });

  it("builds as `trigger deploy` does: target deploy, rewritten paths, forced externals, a tmp dir at .trigger/tmp/build-X", () => {
    const deploy = cliSource("commands/deploy.js");
    expect(deploy).toContain('const destination = getTmpDir(resolvedConfig.workingDir, "build", options.dryRun);');
    expect(deploy).toContain("const forcedExternals = await resolveAlwaysExternal(projectClient.client);");
    const call = deploy.slice(deploy.indexOf("buildWorker({", deploy.indexOf("const forcedExternals")), deploy.indexOf("listener:", deploy.indexOf("const forcedExternals")));
    for (const option of ['target: "deploy"', "environment: options.env", "destination: destination.path", "resolvedConfig,", "rewritePaths: true", "forcedExternals,"]) {
      expect(call, option).toContain(option);
    }
    expect(cliSource("utilities/tempDirectories.js")).toContain('return path.join(projectRoot, ".trigger", tmpDirName);');
  });

  it("falls back, offline, to core's built-in externals list without any request", async () => {
    expect(await offlineForcedExternals()).toEqual(alwaysExternal);
    expect(alwaysExternal).toEqual(["import-in-the-middle", "header-generator"]);
    // The remote list `trigger deploy` tries first, and why the check never asks for it.
    expect(cliSource("apiClient.js")).toContain("https://jsonhero.io/j/GU7CwoDOL40k.json");
  });

  it("writes build.json with paths under /app/, as the image lays the bundle out", async () => {
    expect(IMAGE_APP_DIR).toBe("/app/");
    expect(await imagePathOf("/x/.trigger/tmp/build-1", "/x/.trigger/tmp/build-1/trigger/a.mjs")).toBe("/app/trigger/a.mjs");
  });

  it("indexes with managed-index-controller: ./build.json, the API's env vars, then a background worker or a failure", () => {
    const controller = cliSource("entryPoints/managed-index-controller.js");
    for (const piece of [
      'readFile("./build.json"',
      "env.TRIGGER_API_URL",
      "env.TRIGGER_SECRET_KEY",
      "env.TRIGGER_PROJECT_REF",
      "env.TRIGGER_DEPLOYMENT_ID",
      "cliApiClient.getEnvironmentVariables(projectRef)",
      "env: $env.data.variables",
      "cliApiClient.createDeploymentBackgroundWorker(deploymentId, backgroundWorkerBody)",
      "tasks: workerManifest.tasks",
      "queues: workerManifest.queues",
      "concurrencyLimits: workerManifest.concurrencyLimits",
      "cliApiClient.failDeployment(deploymentId, { error: serialiedIndexError })",
    ]) {
      expect(controller, piece).toContain(piece);
    }
    expect(cliSource("deploy/buildImage.js")).toContain('RUN [ "node", "${options.indexScript}" ]');
  });

  it("reports import errors as TaskIndexingImportError with the files as JSON, which the check reads", () => {
    const worker = cliSource("indexing/registerResources.js");
    expect(worker).toContain("file: file.entry");
    const coreErrors = createRequire(join(CLI_PACKAGE_DIR, "package.json")).resolve("@trigger.dev/core/v3/errors");
    const errors = readFileSync(coreErrors.replace("/dist/commonjs/", "/dist/esm/"), "utf8");
    expect(errors).toContain('name: "TaskIndexingImportError"');
    expect(errors).toContain("stack: JSON.stringify(error.importErrors)");
  });

  it("talks to the loopback stand-in through the CLI's own API client", async () => {
    const api = await startIndexApiStandIn();
    try {
      const client = await createCliApiClient(api.url, "tr_prod_contract");
      expect(await client.getEnvironmentVariables("proj_contract")).toMatchObject({ success: true, data: { variables: {} } });
      const body = { localOnly: true, metadata: { contentHash: "h", packageVersion: "4.8.3", cliPackageVersion: "4.8.3", runtime: "node-22", tasks: [] } };
      expect(await client.createDeploymentBackgroundWorker("deployment_contract", body)).toMatchObject({ success: true, data: { id: "worker_deploy_check" } });
      expect(await client.failDeployment("deployment_contract", { error: { name: "E", message: "m" } })).toMatchObject({ success: true });
      expect(api.requests.backgroundWorker).toEqual(body);
      expect(api.requests.failure).toEqual({ error: { name: "E", message: "m" } });
      expect(api.requests.unexpected).toEqual([]);
    } finally {
      await api.close();
    }
  });

  it("injects one ESM shim into every module, whose per-module call SHIM_ONLY_MAX_BYTES discounts", () => {
    expect(cliSource("build/packageModules.js")).toContain('const esmShimPath = join(sourceDir, "shims", "esm.js");\nexport const shims = [esmShimPath];');
    expect(cliSource("build/bundle.js")).toContain("inject: [...shims]");
    expect("init_esm();\n".length).toBeLessThanOrEqual(SHIM_ONLY_MAX_BYTES);
  });

  it("converts payload schemas with the indexer's converter (@trigger.dev/schema-to-json, draft-07)", async () => {
    expect(await payloadJsonSchema(z.object({ id: z.uuid(), note: z.string().optional() }))).toEqual({
      $schema: "http://json-schema.org/draft-07/schema#",
      type: "object",
      properties: { id: { type: "string", format: "uuid", pattern: expect.any(String) }, note: { type: "string" } },
      required: ["id"],
      additionalProperties: false,
    });
    expect(cliSource("entryPoints/managed-index-worker.js")).toContain("const result = schemaToJsonSchema(schema);");
  });
});
