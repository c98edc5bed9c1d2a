import { describe, expect, it } from "vitest";
import { silentLogger, TestClock } from "@paycron/core";
import { useTestDb } from "@paycron/db/testing";
import { loadTaskCatalog } from "@paycron/runtime/catalog";
import { createApp } from "@paycron/webhooks";
import { FIXTURES_DIR } from "../support/task-fixtures.ts";
import { REFERENCE_TIME, testConfig } from "./helpers.ts";

const t = useTestDb();
const TOKEN = "deployed-dashboard-token-0123";
const catalog = () => loadTaskCatalog({ dir: FIXTURES_DIR });

function app(options: { token?: string; dashboard?: boolean }) {
  return createApp({
    db: t.db,
    config: testConfig(options.token ? { DASHBOARD_TOKEN: options.token } : {}),
    logger: silentLogger(),
    clock: new TestClock(REFERENCE_TIME),
    ...(options.dashboard ? { dashboard: { catalog } } : {}),
  });
}

describe("the webhook app's /dashboard", () => {
  it("is off in a deployed app without DASHBOARD_TOKEN", async () => {
    const res = await app({}).request("/dashboard/runs");
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "not_found" } });
  });

  it("with DASHBOARD_TOKEN, is served only to requests carrying it", async () => {
    const deployed = app({ token: TOKEN });
    expect((await deployed.request("/dashboard/runs")).status).toBe(401);
    expect((await deployed.request("/dashboard/runs", { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    const write = await deployed.request("/dashboard/runs/6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f/cancel", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://localhost" },
      body: "",
    });
    expect(write.status).toBe(401);
  });

  it("is on without a token when the app is started with the dashboard option (pnpm dev)", async () => {
    const res = await app({ dashboard: true }).request("/dashboard/runs");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("<h1>Runs</h1>");
  });

  it("refuses a DASHBOARD_TOKEN too short to be a secret", () => {
    expect(() => testConfig({ DASHBOARD_TOKEN: "short" })).toThrow(/DASHBOARD_TOKEN: DASHBOARD_TOKEN must be at least 16 characters/);
  });
});
