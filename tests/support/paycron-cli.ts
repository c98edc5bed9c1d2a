import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI's environment for a test database: the local engine, quiet logs, no terminal. */
function cliEnv(databaseUrl: string): NodeJS.ProcessEnv {
  return { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: "warn", PAYCRON_ENGINE: "local" };
}

/** Runs `pnpm paycron …` against the given database to its end (`env` adds to the CLI's environment). */
export function paycron(databaseUrl: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("pnpm", ["--silent", "paycron", ...args], { cwd: REPO_ROOT, env: { ...cliEnv(databaseUrl), ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

export interface RunningCli {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
  /** Sends the signal to the CLI's whole process group, as a terminal's Ctrl-C does. */
  signal(signal: NodeJS.Signals): void;
}

/**
 * Starts a long-running CLI command (e.g. runs --follow) in its own process group: what `pnpm
 * paycron` runs, without pnpm around it, so its exit status is the CLI's own.
 */
export function startPaycron(databaseUrl: string, args: string[]): RunningCli {
  const child = spawn(process.execPath, ["--import", "tsx", "apps/cli/src/bin.ts", ...args], { cwd: REPO_ROOT, env: cliEnv(databaseUrl), detached: true });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    signal: (signal) => process.kill(-child.pid!, signal),
  };
}
