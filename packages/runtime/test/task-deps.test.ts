import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { silentLogger, TestClock } from "@paycron/core";
import { useTestDb } from "@paycron/db/testing";
import { clearTaskDeps, createTaskDeps, installTaskDeps, loadTaskDeps, triggerEngine } from "@paycron/runtime";
import { taskDepsFromEnvironment } from "@paycron/runtime/worker";
import { createStripeClient } from "@paycron/stripe";

const t = useTestDb();
afterEach(() => clearTaskDeps());

const workerEnv = (overrides: Record<string, string | undefined> = {}) => ({
  DATABASE_URL: t.url,
  TRIGGER_SECRET_KEY: "tr_prod_test",
  TRIGGER_API_URL: "http://127.0.0.1:9",
  STRIPE_SECRET_KEY: "sk_test_worker",
  LOG_LEVEL: "silent",
  ...overrides,
});

describe("task deps on a deployed worker", () => {
  it("are built from the worker's environment: its database, Trigger.dev as the engine, the real Stripe", async () => {
    const deps = taskDepsFromEnvironment(workerEnv());
    try {
      const { rows } = await sql<{ db: string }>`select current_database() as db`.execute(deps.db);
      expect(rows[0]!.db).toBe(t.name);
      // Without PAYCRON_ENGINE: a worker on Trigger.dev hands follow-ups to Trigger.dev, never to graphile.
      expect(deps.engine.kind).toBe("trigger");
      expect(deps.stripe.getApiField("host")).toBe("api.stripe.com");
    } finally {
      await deps.db.destroy();
    }
  });

  it("name each missing or malformed setting", () => {
    expect(() => taskDepsFromEnvironment({})).toThrow(/DATABASE_URL[\s\S]*TRIGGER_SECRET_KEY[\s\S]*STRIPE_SECRET_KEY/);
    expect(() => taskDepsFromEnvironment(workerEnv({ STRIPE_SECRET_KEY: "" }))).toThrow(/STRIPE_SECRET_KEY: set STRIPE_SECRET_KEY/);
    expect(() => taskDepsFromEnvironment(workerEnv({ STRIPE_SECRET_KEY: "pk_live_oops" }))).toThrow(/STRIPE_SECRET_KEY must be a Stripe secret/);
  });

  it("prefer what the local engine or a test installed", async () => {
    const installed = createTaskDeps({ db: t.db, clock: new TestClock(0), logger: silentLogger(), engine: triggerEngine({ secretKey: "tr_dev_x", baseURL: "http://127.0.0.1:9" }) }, {});
    installTaskDeps(installed);
    expect(await loadTaskDeps()).toBe(installed);
  });
});

describe("providers", () => {
  it("are built once, on first use, and a missing one fails only when used, naming itself", () => {
    let built = 0;
    const base = { db: t.db, clock: new TestClock(0), logger: silentLogger(), engine: triggerEngine({ secretKey: "tr_dev_x", baseURL: "http://127.0.0.1:9" }) };
    const deps = createTaskDeps(base, { stripe: () => (built++, createStripeClient({ secretKey: "sk_test_local" })) });
    expect(built).toBe(0);
    expect(deps.stripe).toBe(deps.stripe);
    expect(built).toBe(1);
    expect(() => createTaskDeps(base, {}).stripe).toThrow(/no stripe provider/);
  });
});
