import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isRunning, type ProcessIdentity } from "@paycron/db/embedded";

/**
 * What a running `pnpm dev` tells the CLI, in `<data dir>/dev.json`: where its database and
 * webhook app are, and the secrets the app verifies with. It holds a database URL and secrets,
 * so it is readable by its owner only, and it lives only as long as the process: written at
 * start, removed at stop, and ignored once its process is gone (a SIGKILLed dev leaves it behind).
 */
export interface DevState extends ProcessIdentity {
  startedAt: string;
  databaseUrl: string;
  /** Absent while the webhook app is still starting. */
  webhookUrl?: string;
  /** The Stripe API the tasks call when it is an emulator (`pnpm dev`'s own, or STRIPE_API_URL); absent with the real Stripe. */
  stripeApiUrl?: string;
  webhookSecrets?: { stripe: string[]; supabase: string };
}

const FILE = "dev.json";

/** The `pnpm dev` running on this data dir, or undefined when none is. */
export function readDevState(dataDir: string): DevState | undefined {
  let state: DevState;
  try {
    state = JSON.parse(readFileSync(join(dataDir, FILE), "utf8")) as DevState;
  } catch {
    return undefined;
  }
  return typeof state.databaseUrl === "string" && isRunning(state) ? state : undefined;
}

export function writeDevState(dataDir: string, state: DevState): void {
  mkdirSync(dataDir, { recursive: true });
  // Whole or not at all: a reader never sees half a file.
  const temporary = join(dataDir, `${FILE}.${state.pid}.tmp`);
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, join(dataDir, FILE));
}

/** Removes the file if this process wrote it; another dev's stays. */
export function removeDevState(dataDir: string, pid: number = process.pid): void {
  try {
    const state = JSON.parse(readFileSync(join(dataDir, FILE), "utf8")) as DevState;
    if (state.pid !== pid) return;
  } catch {
    return;
  }
  rmSync(join(dataDir, FILE), { force: true });
}
