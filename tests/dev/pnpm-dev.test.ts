import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, isAlive, readPostmaster } from "@paycron/db/embedded";
import { buildSampleStripeEvent, signStripeEvent } from "@paycron/stripe";

const root = fileURLToPath(new URL("../../", import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), "paycron-dev-test-"));
chmodSync(dataDir, 0o755);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

interface Dev {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** `pnpm dev` as a user runs it (same entry point), on its own embedded Postgres in a temp data dir. */
async function startDev(): Promise<Dev> {
  const port = await freePort();
  let output = "";
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), PAYCRON_DATA_DIR: dataDir, LOG_LEVEL: "info" };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ["--import", "tsx", "apps/cli/src/bin.ts", "dev"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = performance.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`pnpm dev exited with ${child.exitCode}:\n${output}`);
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (ok) return { child, url, output: () => output };
    if (performance.now() > deadline) throw new Error(`no /healthz after 30 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stopDev(dev: Dev): Promise<void> {
  const exited = new Promise<number | null>((r) => dev.child.once("exit", (code) => r(code)));
  dev.child.kill("SIGINT");
  expect(await exited, `pnpm dev output:\n${dev.output()}`).toBe(0);
}

describe("pnpm dev", () => {
  it("serves webhooks, runs their tasks, stops cleanly on SIGINT and keeps its state across restarts", async () => {
    const dev = await startDev();
    const postgres = readPostmaster(join(dataDir, "postgres", "data"));
    const { stripeWebhookSecret } = JSON.parse(readFileSync(join(dataDir, "dev-secrets.json"), "utf8")) as { stripeWebhookSecret: string };

    const event = buildSampleStripeEvent("payment_intent.succeeded");
    const delivery = signStripeEvent(event, stripeWebhookSecret);
    const response = await fetch(`${dev.url}/webhooks/stripe`, { method: "POST", headers: delivery.headers, body: delivery.body });
    expect(response.status).toBe(200);

    // The dispatcher and the local worker inside `pnpm dev` run its task, which settles it `unhandled`.
    const url = `postgres://postgres:postgres@127.0.0.1:${postgres.port}/postgres`;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const deadline = performance.now() + 20_000;
    let status: string | undefined;
    while (performance.now() < deadline) {
      status = (await client.query("select status from webhook_events where provider_event_id = $1", [event.id])).rows[0]?.status;
      if (status === "unhandled") break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe("unhandled");

    // A replay beside it: the CLI points out the running database, then writes there, and the dev worker runs the new run.
    const cli = (env: NodeJS.ProcessEnv) =>
      new Promise<{ code: number | null; output: string }>((resolve) => {
        const child = spawn(process.execPath, ["--import", "tsx", "apps/cli/src/bin.ts", "webhook", "replay", String(event.id)], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
        child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
        child.once("exit", (code) => resolve({ code, output }));
      });
    const withoutUrl: NodeJS.ProcessEnv = { ...process.env, PAYCRON_DATA_DIR: dataDir, LOG_LEVEL: "warn" };
    delete withoutUrl.DATABASE_URL;
    const held = await cli(withoutUrl);
    expect(held.code).toBe(1);
    expect(held.output).toContain(`a running \`pnpm dev\` holds the embedded Postgres; replay into it with\n  DATABASE_URL=${url} pnpm paycron webhook replay`);
    const replay = await cli({ ...withoutUrl, DATABASE_URL: url });
    expect(replay.output).toContain(`stripe ${String(event.id)}  payment_intent.succeeded  → stripe-payment-intent-succeeded`);
    expect(replay.code).toBe(0);
    const replayedBy = performance.now() + 20_000;
    let runs: Array<{ idempotency_key: string; status: string }> = [];
    while (performance.now() < replayedBy) {
      runs = (await client.query("select idempotency_key, status from task_runs where idempotency_key like $1 order by 1", [`stripe:${String(event.id)}%`])).rows;
      if (runs.length === 2 && runs.every((r) => r.status === "completed")) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(runs).toEqual([
      { idempotency_key: `stripe:${String(event.id)}`, status: "completed" },
      { idempotency_key: `stripe:${String(event.id)}:replay:1`, status: "completed" },
    ]);
    const replayed = await client.query("select status, replays from webhook_events where provider_event_id = $1", [event.id]);
    expect(replayed.rows).toEqual([{ status: "unhandled", replays: 1 }]);
    await client.end();

    await stopDev(dev);
    expect(isAlive(postgres.pid)).toBe(false);
    expect(dev.output()).toContain("demo data seeded");

    const again = await startDev();
    try {
      expect(again.output()).toContain("demo data already present");
    } finally {
      await stopDev(again);
    }
  });
});
