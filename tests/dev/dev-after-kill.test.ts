import { spawn } from "node:child_process";
import { copyFileSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { freePort, isAlive, readPostmaster } from "@paycron/db/embedded";
import { cleanEnv, cliArgs, interrupt, root, startDev, tempDir, waitFor } from "./support.ts";

const state = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2)[0];
};

describe("pnpm dev after a crash", () => {
  it("starts at once after the previous dev's process group was SIGKILLed, though that process is an unreaped zombie", async () => {
    const dataDir = tempDir("paycron-dev-kill-test-");
    // The crashed dev ran from a folder holding .env.example copied as .env: the example runs as is.
    const cwd = tempDir("paycron-dev-dotenv-test-");
    copyFileSync(join(root, ".env.example"), join(cwd, ".env"));
    const port = await freePort();
    // A container whose first process never reaps: `sh` starts dev in a session (and process
    // group) of its own, then becomes `sleep`, which never waits for it.
    const command = [process.execPath, ...cliArgs, "dev"].map((a) => `"${a}"`).join(" ");
    const parent = spawn("sh", ["-c", `setsid ${command} & echo "dev pid $!"; exec sleep 600`], {
      cwd,
      env: cleanEnv({ PORT: String(port), PAYCRON_DATA_DIR: dataDir }),
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let output = "";
    parent.stdout!.on("data", (c: Buffer) => (output += c.toString()));
    parent.stderr!.on("data", (c: Buffer) => (output += c.toString()));
    try {
      const pid = Number(await waitFor("the dev's pid", async () => /^dev pid (\d+)$/m.exec(output)?.[1], 10_000));
      await waitFor(`the first dev's /healthz:\n${output}`, () => fetch(`http://127.0.0.1:${port}/healthz`).then((r) => (r.ok ? true : undefined), () => undefined), 90_000);
      const orphan = readPostmaster(join(dataDir, "postgres", "data")).pid;

      process.kill(-pid, "SIGKILL");
      await waitFor("the killed dev to be a zombie", async () => (state(pid) === "Z" ? true : undefined), 10_000);
      // Its Postgres ran detached: the kill did not reach it, and it still holds the data dir.
      expect(isAlive(orphan)).toBe(true);

      const again = await startDev({ dataDir });
      expect(again.output()).not.toContain("in use by another Paycron process");
      expect(isAlive(orphan)).toBe(false);
      expect(await interrupt(again)).toEqual({ code: 0, signal: null });
    } finally {
      parent.kill("SIGKILL");
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 240_000);
});
