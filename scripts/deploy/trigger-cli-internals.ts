/*
 * The one module that reaches into the trigger.dev CLI's internals. `trigger deploy` builds the
 * worker with functions its package does not export (its `exports` map names only the bin), so they
 * are imported here by file path and are tied to the pinned CLI version: an upgrade that moves or
 * changes them fails tests/deploy/trigger-cli-contract.test.ts first, saying what moved.
 *
 * What `trigger deploy` does (commands/deploy.js, 4.8.3), and what this module repeats:
 *   loadConfig({ cwd, overrides: { project } })
 *   resolveAlwaysExternal(apiClient)   // fetches a list from jsonhero.io; offline it falls back to
 *                                      // core's built-in list, which is what we pass straight away
 *   buildWorker({ target: "deploy", environment: "prod", destination: <cwd>/.trigger/tmp/build-X,
 *                 resolvedConfig, rewritePaths: true, envVars, forcedExternals, plain })
 * The image then installs the generated package.json and runs the bundled
 * managed-index-controller.mjs (the indexer), which is what deploy-check.ts runs.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);

/** The CLI version these internals were written against; keep it equal to the SDK's. */
export const PINNED_CLI_VERSION = "4.8.3";

/** node_modules/trigger.dev */
export const CLI_PACKAGE_DIR = dirname(require.resolve("trigger.dev/package.json"));
const CLI_DIST = join(CLI_PACKAGE_DIR, "dist", "esm");

export function cliVersion(): string {
  return (JSON.parse(readFileSync(join(CLI_PACKAGE_DIR, "package.json"), "utf8")) as { version: string }).version;
}

/** Where a deployed image keeps the bundle; build.json's paths start with it. */
export const IMAGE_APP_DIR = "/app/";

/**
 * A module esbuild kept only for the shim call the CLI injects into every module
 * (`init_esm();`, 12 bytes, from dist/esm/shims/esm.js) has no code of its own in the bundle.
 */
export const SHIM_ONLY_MAX_BYTES = 16;

export interface ResolvedConfig {
  project: string;
  dirs: string[];
  workingDir: string;
  workspaceDir: string;
  configFile?: string;
  runtime: string;
  maxDuration: number;
  build: { external?: string[] };
}

export interface MetafileImport {
  path: string;
  kind: string;
  external?: boolean;
  original?: string;
}

/** The parts of esbuild's metafile the check reads. */
export interface Metafile {
  inputs: Record<string, { bytes: number; imports: MetafileImport[] }>;
  outputs: Record<string, { bytes: number; entryPoint?: string; imports: MetafileImport[]; inputs: Record<string, { bytesInOutput: number }> }>;
}

/** The parts of the CLI's BuildManifest (core schemas/build.js) the check reads. */
export interface BuildManifest {
  contentHash: string;
  runtime: string;
  cliPackageVersion: string;
  packageVersion: string;
  configPath: string;
  files: Array<{ entry: string; out: string }>;
  externals?: Array<{ name: string; version: string }>;
  indexControllerEntryPoint?: string;
  indexWorkerEntryPoint: string;
  runWorkerEntryPoint: string;
  runControllerEntryPoint?: string;
}

export interface BuiltWorker {
  manifest: BuildManifest;
  metafile: Metafile;
  warnings: Array<{ text: string; location?: { file?: string } | null }>;
}

interface CliModules {
  loadConfig(options: { cwd: string; overrides?: { project?: string }; warn?: boolean }): Promise<ResolvedConfig>;
  buildWorker(options: Record<string, unknown>): Promise<BuildManifest>;
  resolveAlwaysExternal(client: { retrieveExternals(): Promise<unknown> }): Promise<string[]>;
  rewriteOutputPath(destinationDir: string, filePath: string): string;
  CliApiClient: new (apiURL: string, accessToken?: string) => CliApiClient;
}

/** The CLI's API client, as the bundled indexer uses it. */
export interface CliApiClient {
  getEnvironmentVariables(projectRef: string): Promise<{ success: boolean; data?: { variables: Record<string, string> }; error?: string }>;
  createDeploymentBackgroundWorker(deploymentId: string, body: unknown): Promise<{ success: boolean; data?: { id: string }; error?: string }>;
  failDeployment(deploymentId: string, body: unknown): Promise<{ success: boolean; error?: string }>;
}

const cliModule = (path: string) => import(pathToFileURL(join(CLI_DIST, path)).href) as Promise<Record<string, unknown>>;

let loading: Promise<CliModules> | undefined;

/** The CLI's own functions, by file path (not exported by the package). */
export function cliModules(): Promise<CliModules> {
  return (loading ??= (async () => {
    const [config, buildWorker, externals, apiClient] = await Promise.all([
      cliModule("config.js"),
      cliModule("build/buildWorker.js"),
      cliModule("build/externals.js"),
      cliModule("apiClient.js"),
    ]);
    const modules = {
      loadConfig: config.loadConfig,
      buildWorker: buildWorker.buildWorker,
      rewriteOutputPath: buildWorker.rewriteOutputPath,
      resolveAlwaysExternal: externals.resolveAlwaysExternal,
      CliApiClient: apiClient.CliApiClient,
    };
    for (const [name, value] of Object.entries(modules)) {
      if (typeof value !== "function") throw new Error(`trigger.dev ${cliVersion()}: ${name} is no longer where ${PINNED_CLI_VERSION} had it (scripts/deploy/trigger-cli-internals.ts)`);
    }
    return modules as unknown as CliModules;
  })());
}

/** trigger.config.ts as the CLI resolves it (c12 + jiti, defaults applied). */
export async function loadResolvedConfig(cwd: string, projectRef?: string): Promise<ResolvedConfig> {
  const { loadConfig } = await cliModules();
  return loadConfig({ cwd, overrides: { project: projectRef }, warn: false });
}

/**
 * The externals list `trigger deploy` forces when it cannot fetch its remote list (always, offline):
 * resolveAlwaysExternal() with a client whose fetch fails, so no look-up is even attempted.
 */
export async function offlineForcedExternals(): Promise<string[]> {
  const { resolveAlwaysExternal } = await cliModules();
  return resolveAlwaysExternal({
    retrieveExternals: () => Promise.reject(new Error("offline: the deploy check makes no outbound requests")),
  });
}

/**
 * Builds the worker exactly as `trigger deploy` does into `destination` (which should sit at the
 * CLI's depth below the project, like .trigger/tmp/build-X, for byte-identical output): the .mjs
 * chunks, build.json (paths rewritten to /app/), package.json of the externals and Containerfile.
 */
export async function buildDeployWorker(options: { resolvedConfig: ResolvedConfig; destination: string; forcedExternals: string[] }): Promise<BuiltWorker> {
  const { buildWorker } = await cliModules();
  let bundle: { metafile?: Metafile; warnings?: BuiltWorker["warnings"] } | undefined;
  const manifest = await buildWorker({
    target: "deploy",
    environment: "prod",
    destination: options.destination,
    resolvedConfig: options.resolvedConfig,
    rewritePaths: true,
    envVars: {},
    forcedExternals: options.forcedExternals,
    plain: true,
    listener: {
      onBundleComplete(result: typeof bundle) {
        bundle = result;
      },
    },
  });
  if (!bundle?.metafile) throw new Error(`trigger.dev ${cliVersion()}: buildWorker no longer reports its esbuild metafile to listener.onBundleComplete`);
  return { manifest, metafile: bundle.metafile, warnings: bundle.warnings ?? [] };
}

/** The CLI's API client (what the bundled indexer talks to the platform with). */
export async function createCliApiClient(apiUrl: string, secretKey: string): Promise<CliApiClient> {
  const { CliApiClient } = await cliModules();
  return new CliApiClient(apiUrl, secretKey);
}

/** "/app/<relative path>", as build.json names a file of the bundle. */
export async function imagePathOf(destination: string, filePath: string): Promise<string> {
  const { rewriteOutputPath } = await cliModules();
  return rewriteOutputPath(destination, filePath);
}

type SchemaToJson = (schema: unknown) => { jsonSchema: unknown } | undefined;
let schemaToJson: Promise<SchemaToJson> | undefined;

/**
 * A task's payload schema as JSON Schema, converted by the same package (@trigger.dev/schema-to-json,
 * a dependency of the CLI, resolved from it) that the indexer uses for `payloadSchema`.
 */
export async function payloadJsonSchema(schema: unknown): Promise<unknown> {
  schemaToJson ??= (async () => {
    const module = (await import(esmEntryOf("@trigger.dev/schema-to-json", CLI_PACKAGE_DIR))) as { schemaToJsonSchema?: SchemaToJson };
    if (typeof module.schemaToJsonSchema !== "function") throw new Error("@trigger.dev/schema-to-json no longer exports schemaToJsonSchema");
    return module.schemaToJsonSchema;
  })();
  return (await schemaToJson)(schema)?.jsonSchema;
}

/** The ESM entry (exports["."].import) of a package as `fromDir` resolves it. */
function esmEntryOf(name: string, fromDir: string): string {
  let dir = dirname(createRequire(join(fromDir, "package.json")).resolve(name));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string; exports?: { ".": { import: { default: string } } } };
      if (pkg.name === name) return pathToFileURL(join(dir, pkg.exports!["."].import.default)).href;
    } catch {
      // no package.json here: keep climbing
    }
    if (dirname(dir) === dir) throw new Error(`cannot find the package.json of ${name} from ${fromDir}`);
    dir = dirname(dir);
  }
}
