import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { onTestFinished } from "vitest";
import { freePort, isAlive, readPostmaster } from "@paycron/db/embedded";

export const root = fileURLToPath(new URL("../../", import.meta.url));
/** The CLI as `pnpm paycron` runs it, with absolute paths, so that it can run from any folder. */
export const cliArgs = ["--import", pathToFileURL(join(root, "node_modules/tsx/dist/loader.mjs")).href, join(root, "apps/cli/src/bin.ts")];

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  // initdb runs as `postgres` when the tests run as root: it must be able to enter the folder.
  chmodSync(dir, 0o755);
  return dir;
}

/**
 * The environment without what a developer's shell or .env may set for their own dev: set empty
 * (unset, for Paycron), since an empty variable also keeps a .env value out.
 */
export function cleanEnv(overrides: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const unset = Object.fromEntries(["DATABASE_URL", "STRIPE_WEBHOOK_SECRETS", "SUPABASE_WEBHOOK_SECRET", "PAYCRON_ENGINE", "STRIPE_API_URL", "STRIPE_SECRET_KEY", "STRIPE_EMULATOR_PORT"].map((n) => [n, ""]));
  return { ...process.env, ...unset, LOG_LEVEL: "info", LOG_FORMAT: "json", ...overrides };
}

export interface Dev {
  child: ChildProcess;
  /** Its process group: what a terminal signals on Ctrl-C. */
  pgid: number;
  url: string;
  output: () => string;
}

/**
 * A dev process in a process group of its own, as a terminal runs a foreground job: `pnpm dev`
 * by default, or any command. Resolves once it has printed its banner and answers /healthz.
 */
export async function startDev(options: { dataDir: string; command?: string[]; cwd?: string; env?: NodeJS.ProcessEnv; port?: number }): Promise<Dev> {
  const port = options.port ?? (await freePort());
  const [command, ...args] = options.command ?? ["pnpm", "dev"];
  const child = spawn(command!, args, {
    cwd: options.cwd ?? root,
    env: cleanEnv({ PORT: String(port), PAYCRON_DATA_DIR: options.dataDir, ...options.env }),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  // A test that fails half-way must not leave its dev (or the dev's detached Postgres) running.
  onTestFinished(() => stopLeftovers(child.pid!, options.dataDir));
  let output = "";
  child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = performance.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`dev exited with ${child.exitCode ?? child.signalCode}:\n${output}`);
    // Up means its banner is out (printed once everything started), not only that the app answers.
    if (output.includes("Paycron dev is up") && (await fetch(`${url}/healthz`).then((r) => r.ok, () => false))) {
      return { child, pgid: child.pid!, url, output: () => output };
    }
    if (performance.now() > deadline) {
      process.kill(-child.pid!, "SIGKILL");
      throw new Error(`not up after 90 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function stopLeftovers(pgid: number, dataDir: string): void {
  if (!groupIsEmpty(pgid)) process.kill(-pgid, "SIGKILL");
  try {
    const { pid } = readPostmaster(join(dataDir, "postgres", "data"));
    if (isAlive(pid)) process.kill(pid, "SIGINT"); // Postgres's fast shutdown
  } catch {
    // no postmaster.pid: Postgres is not running
  }
}

/** Ctrl-C in a terminal: SIGINT to the whole foreground process group. Resolves with how it ended. */
export async function interrupt(dev: Dev): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => dev.child.once("exit", (code, signal) => r({ code, signal })));
  process.kill(-dev.pgid, "SIGINT");
  return exited;
}

/** Processes whose command line names `text` (the postmaster's names its data dir), zombies excluded. */
export function processesMentioning(text: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      if (stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z")) continue;
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
      if (cmdline.includes(text)) found.push(`${pid} ${cmdline}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

export function groupIsEmpty(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/** One CLI command, run as `pnpm paycron …` runs it, from `cwd` (a temp folder: no .env) unless given. */
export function paycron(args: string[], options: { env: NodeJS.ProcessEnv; cwd?: string }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...cliArgs, ...args], { cwd: options.cwd ?? tmpdir(), env: cleanEnv(options.env), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = performance.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
