import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { useTestDb } from "@paycron/db/testing";
import { FIXTURES_DIR as FIXTURES } from "../support/task-fixtures.ts";

const t = useTestDb();
const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

function paycron(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("pnpm", ["--silent", "paycron", ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATABASE_URL: t.url, LOG_LEVEL: "warn", PAYCRON_ENGINE: "local" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("pnpm paycron trigger / runs", () => {
  it("rejects a payload that does not match the task's schema, naming the field", async () => {
    const r = await paycron(["trigger", "echo", '{"value": 42}', "--tasks-dir", FIXTURES]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("the payload does not match the schema of echo");
    expect(r.stderr).toMatch(/value: .*expected string/i);
    expect(await t.db.selectFrom("task_outbox").select("id").execute()).toEqual([]);
  }, 60_000);

  it("rejects an unknown task and bad JSON with a clear message", async () => {
    const unknown = await paycron(["trigger", "no-such-task", "{}", "--tasks-dir", FIXTURES]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown task "no-such-task"\. Known tasks: .*echo/);
    const badJson = await paycron(["trigger", "echo", "{nope", "--tasks-dir", FIXTURES]);
    expect(badJson.stderr).toContain("the payload is not valid JSON");
  }, 60_000);

  it("runs a task with --wait, prints its result, and lists it with runs", async () => {
    const r = await paycron(["trigger", "echo", '{"value":"from-cli"}', "--key", "cli-1", "--wait", "--tasks-dir", FIXTURES]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { status: string; output: unknown; runId: string };
    expect(result).toMatchObject({ status: "completed", output: { echo: "from-cli", attempt: 1 } });

    const list = await paycron(["runs", "--task", "echo", "--status", "completed", "--json"]);
    expect(list.code).toBe(0);
    const runs = JSON.parse(list.stdout) as Array<{ id: string; idempotency_key: string }>;
    expect(runs.map((x) => x.id)).toEqual([result.runId]);
    expect(runs[0]!.idempotency_key).toBe("cli-1");

    const table = await paycron(["runs"]);
    expect(table.stdout).toContain(`${result.runId}  echo`);
    expect(table.stdout).toContain("completed");

    const badStatus = await paycron(["runs", "--status", "done"]);
    expect(badStatus.stderr).toContain('unknown status "done"');
  }, 90_000);
});
