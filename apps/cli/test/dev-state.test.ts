import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { processIdentity } from "@paycron/db/embedded";
import { readDevState, removeDevState, writeDevState, type DevState } from "../src/dev-state.ts";

const dir = mkdtempSync(join(tmpdir(), "paycron-dev-state-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const state = (identity: { pid: number; startTime?: number }): DevState => ({
  ...identity,
  startedAt: "2026-12-03T00:00:00.000Z",
  databaseUrl: "postgres://postgres:postgres@127.0.0.1:5999/postgres",
  webhookUrl: "http://127.0.0.1:3999",
});

describe("dev.json", () => {
  it("is readable by its owner only, and read back while its process runs", () => {
    writeDevState(dir, state(processIdentity()));
    expect(statSync(join(dir, "dev.json")).mode & 0o777).toBe(0o600);
    expect(readDevState(dir)).toEqual(state(processIdentity()));
  });

  it("is ignored once its process is gone: exited, an unreaped zombie, or its pid reused", async () => {
    const exited = spawn(process.execPath, ["-e", ""]);
    await new Promise((r) => exited.once("exit", r));
    writeDevState(dir, state({ pid: exited.pid! }));
    expect(readDevState(dir)).toBeUndefined();

    // `sh` backgrounds a child, then becomes `sleep`, which never reaps it once killed.
    const parent = spawn("sh", ["-c", 'sleep 600 & echo "$!"; exec sleep 600'], { stdio: ["ignore", "pipe", "ignore"] });
    try {
      const child = Number(await new Promise<string>((r) => parent.stdout!.once("data", (c: Buffer) => r(c.toString().trim()))));
      while (readFileSync(`/proc/${parent.pid}/comm`, "utf8").trim() !== "sleep") await new Promise((r) => setTimeout(r, 20));
      writeDevState(dir, state(processIdentity(child)));
      expect(readDevState(dir)).toBeDefined();
      process.kill(child, "SIGKILL");
      while (!readFileSync(`/proc/${child}/stat`, "utf8").includes(") Z ")) await new Promise((r) => setTimeout(r, 20));
      expect(readDevState(dir)).toBeUndefined();
    } finally {
      parent.kill("SIGKILL");
    }

    writeDevState(dir, state({ pid: process.pid, startTime: processIdentity().startTime! - 100 }));
    expect(readDevState(dir)).toBeUndefined();
  });

  it("is removed only by the process that wrote it", () => {
    writeDevState(dir, state(processIdentity()));
    removeDevState(dir, process.pid + 1);
    expect(readDevState(dir)).toBeDefined();
    removeDevState(dir);
    expect(readDevState(dir)).toBeUndefined();
    writeFileSync(join(dir, "dev.json"), "{not json");
    expect(readDevState(dir)).toBeUndefined();
  });
});
