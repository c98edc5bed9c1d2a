import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "@paycron/core";
import { useTestDb } from "@paycron/db/testing";
import { loadWebhookConfig, startWebhookServer, type WebhookServer } from "@paycron/webhooks";
import { devWebhookConfig } from "../src/dev-secrets.ts";
import { loadDotenv } from "../src/dotenv.ts";
import { readCliEnv } from "../src/env.ts";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const example = join(root, ".env.example");
const dir = mkdtempSync(join(tmpdir(), "paycron-dotenv-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("loadDotenv", () => {
  it("keeps what the environment has, even empty; sets nothing for an empty value; a missing file sets nothing", () => {
    const file = join(dir, "semantics.env");
    writeFileSync(file, "FROM_ENV=file\nBLANK=\nEMPTY_IN_ENV=file\nNEW=file # a comment\nQUOTED=\"a # b\"\n");
    const env: NodeJS.ProcessEnv = { FROM_ENV: "env", EMPTY_IN_ENV: "" };
    expect(loadDotenv(file, env).sort()).toEqual(["NEW", "QUOTED"]);
    expect(env).toEqual({ FROM_ENV: "env", EMPTY_IN_ENV: "", NEW: "file", QUOTED: "a # b" });
    expect(loadDotenv(join(dir, "absent.env"), env)).toEqual([]);
  });

  it("runs .env.example as is: its blanks count as unset, so the CLI and pnpm dev's webhook config parse", () => {
    const env: NodeJS.ProcessEnv = {};
    loadDotenv(example, env);
    expect(env.STRIPE_WEBHOOK_SECRETS).toBeUndefined();
    expect(readCliEnv(env)).toMatchObject({ PAYCRON_DATA_DIR: ".paycron", PORT: 3000, engine: { kind: "local" } });
    const config = devWebhookConfig(join(dir, "data"), env);
    expect(config.stripeWebhookSecrets).toEqual([expect.stringMatching(/^whsec_dev_/)]);
    // Blank variables in the environment itself (the example exported as is) count as unset too.
    const exported = Object.fromEntries(readFileSync(example, "utf8").split("\n").flatMap((l) => (/^[A-Z_]+=/.test(l) ? [l.split(/=(.*)/s).slice(0, 2)] : [])));
    expect(exported.STRIPE_WEBHOOK_SECRETS).toBe("");
    expect(devWebhookConfig(join(dir, "data"), exported).stripeWebhookSecrets).toEqual(config.stripeWebhookSecrets);
    expect(() => loadWebhookConfig({ ...exported, STRIPE_WEBHOOK_SECRETS: "whsec_x", SUPABASE_WEBHOOK_SECRET: "0123456789abcdef" })).not.toThrow();
  });
});

describe("the CLI and a .env in its folder", () => {
  const t = useTestDb();
  let server: WebhookServer;
  beforeAll(async () => {
    const config = loadWebhookConfig({ STRIPE_WEBHOOK_SECRETS: "whsec_from_dotenv_0123456789", SUPABASE_WEBHOOK_SECRET: "supabase-dotenv-test-secret" });
    server = await startWebhookServer({ db: t.db, config, logger: silentLogger(), port: 0, hostname: "127.0.0.1" });
  });
  afterAll(() => server.close());

  const send = (cwd: string, env: NodeJS.ProcessEnv) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const tsx = pathToFileURL(join(root, "node_modules/tsx/dist/loader.mjs")).href;
      const args = ["--import", tsx, join(root, "apps/cli/src/bin.ts"), "webhook", "send", "stripe", "payment_intent.succeeded", "--url", `${server.url}/webhooks/stripe`];
      const child = spawn(process.execPath, args, { cwd, env: { ...process.env, DATABASE_URL: undefined, STRIPE_WEBHOOK_SECRETS: undefined, ...env }, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout!.on("data", (c: Buffer) => (stdout += c.toString()));
      child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
      child.once("exit", (code) => resolve({ code, stdout, stderr }));
    });

  it("reads it (the example with two values filled in); what the environment sets wins", async () => {
    const cwd = mkdtempSync(join(dir, "cwd-"));
    const filled = readFileSync(example, "utf8")
      .replace(/^STRIPE_WEBHOOK_SECRETS=$/m, "STRIPE_WEBHOOK_SECRETS=whsec_from_dotenv_0123456789")
      .replace(/^DATABASE_URL=$/m, `DATABASE_URL=${t.url}`);
    writeFileSync(join(cwd, ".env"), filled);

    const fromFile = await send(cwd, {});
    expect(fromFile.stderr).toBe("");
    expect(fromFile.stdout).toContain('200 {"received":true}');
    // DATABASE_URL came from the file too: the CLI looked the event up there.
    expect(fromFile.stdout).toMatch(/new: stored as webhook event [0-9a-f-]{36}/);

    const fromEnv = await send(cwd, { STRIPE_WEBHOOK_SECRETS: "whsec_from_env_0123456789" });
    expect(fromEnv.stdout).toContain("400");
    expect(fromEnv.stdout).toContain("signature_mismatch");
    expect(fromEnv.code).toBe(1);
  }, 60_000);
});
