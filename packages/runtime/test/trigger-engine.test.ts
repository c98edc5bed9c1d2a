import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv, silentLogger, TestClock } from "@paycron/core";
import { withTransaction } from "@paycron/db";
import { useTestDb } from "@paycron/db/testing";
import { z } from "zod";
import { DEFAULT_TRIGGER_LIMITS, dispatchDue, engineEnvShape, engineSettings, enqueueUnchecked, triggerEngine } from "@paycron/runtime";
import { decodePayloadPacket } from "../src/catalog/sdk-internals.ts";

const t = useTestDb();

interface Captured {
  path: string;
  authorization?: string;
  body: { payload: string; options: Record<string, unknown> };
}

/** A loopback stand-in for the Trigger.dev API: records each trigger, answers like the platform. */
let server: Server;
let baseURL: string;
const captured: Captured[] = [];
const seenKeys = new Map<string, string>();

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString()));
    req.on("end", () => {
      const body = JSON.parse(raw) as Captured["body"];
      captured.push({ path: req.url ?? "", authorization: req.headers.authorization, body });
      const key = String(body.options.idempotencyKey);
      const cached = seenKeys.get(key);
      const id = cached ?? `run_fake_${seenKeys.size + 1}`;
      seenKeys.set(key, id);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ id, isCached: !!cached }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("the Trigger.dev engine", () => {
  it("sends each outbox row as POST /api/v1/tasks/:id/trigger with a global idempotency key, once", async () => {
    const clock = new TestClock("2026-06-01T10:00:00Z");
    await withTransaction(t.db, (tx) =>
      enqueueUnchecked(tx, "echo", { value: "to-the-cloud" }, { idempotencyKey: "cloud-1", idempotencyKeyTTL: "1h", concurrencyKey: "cust_1", clock }),
    );
    const engine = triggerEngine({ secretKey: "tr_dev_fake", baseURL });
    const deps = { db: t.db, clock, logger: silentLogger(), engine };
    expect(await dispatchDue(deps)).toEqual({ dispatched: 1, failed: 0 });
    expect(await dispatchDue(deps)).toEqual({ dispatched: 0, failed: 0 });

    expect(captured).toHaveLength(1);
    const [request] = captured;
    expect(request!.path).toBe("/api/v1/tasks/echo/trigger");
    expect(request!.authorization).toBe("Bearer tr_dev_fake");
    expect(request!.body.options).toMatchObject({
      idempotencyKeyOptions: { key: "cloud-1", scope: "global" },
      idempotencyKeyTTL: "3600s",
      concurrencyKey: "cust_1",
    });
    expect(request!.body.options.idempotencyKey).toMatch(/^[0-9a-f]{64}$/);
    expect(await decodePayloadPacket(request!.body.payload, String(request!.body.options.payloadType))).toEqual({ value: "to-the-cloud" });

    const row = await t.db.selectFrom("task_outbox").selectAll().where("idempotency_key", "=", "cloud-1").executeTakeFirstOrThrow();
    expect(row.engine_run_id).toBe("run_fake_1");
    expect(row.dispatched_at).not.toBeNull();
  });

  it("passes a future available_at as the run's delay", async () => {
    const clock = new TestClock("2026-06-01T10:00:00Z");
    await withTransaction(t.db, (tx) => enqueueUnchecked(tx, "echo", { value: "later" }, { idempotencyKey: "cloud-delayed", delay: "15m", clock }));
    await dispatchDue({ db: t.db, clock, logger: silentLogger(), engine: triggerEngine({ secretKey: "tr_dev_fake", baseURL }) });
    const request = captured.find((c) => JSON.stringify(c.body.options).includes("cloud-delayed"));
    expect(request!.body.options.delay).toBe("2026-06-01T10:15:00.000Z");
  });

  it("tries a dead API once (no SDK retries), and leaves the row for the sweeper", async () => {
    const clock = new TestClock("2026-06-01T11:00:00Z");
    await withTransaction(t.db, (tx) => enqueueUnchecked(tx, "echo", { value: "nobody-home" }, { idempotencyKey: "cloud-dead", clock }));
    // An API that hangs up on every request: the SDK's default would retry it for ~9 s.
    let requests = 0;
    const dead = createServer((req) => {
      requests++;
      req.socket.destroy();
    });
    await new Promise<void>((r) => dead.listen(0, "127.0.0.1", r));
    const deadURL = `http://127.0.0.1:${(dead.address() as AddressInfo).port}`;
    try {
      const result = await dispatchDue({ db: t.db, clock, logger: silentLogger(), engine: triggerEngine({ secretKey: "tr_dev_fake", baseURL: deadURL }) });
      expect(result).toEqual({ dispatched: 0, failed: 1 });
    } finally {
      await new Promise<void>((r) => dead.close(() => r()));
    }
    expect(requests).toBe(1);
    const row = await t.db.selectFrom("task_outbox").selectAll().where("idempotency_key", "=", "cloud-dead").executeTakeFirstOrThrow();
    expect(row).toMatchObject({ dispatched_at: null, attempts: 1 });
    expect(row.last_error).toMatch(/Connection error/);

    // Once the API is back and the backoff has passed, the sweeper's dispatch succeeds.
    clock.advance(1_000);
    expect(await dispatchDue({ db: t.db, clock, logger: silentLogger(), engine: triggerEngine({ secretKey: "tr_dev_fake", baseURL }) })).toEqual({ dispatched: 1, failed: 0 });
  });
});

describe("engine configuration", () => {
  const schema = z.object(engineEnvShape);
  const settingsOf = (env: Record<string, string>) => engineSettings(parseEnv(schema, env, "test"));

  it("has no default: an app that does not say which engine fails at start, naming PAYCRON_ENGINE", () => {
    expect(() => settingsOf({})).toThrow(/PAYCRON_ENGINE: set PAYCRON_ENGINE to local/);
    expect(() => settingsOf({ PAYCRON_ENGINE: "" })).toThrow(/PAYCRON_ENGINE/);
    expect(() => settingsOf({ PAYCRON_ENGINE: "inngest" })).toThrow(/PAYCRON_ENGINE/);
  });

  it("requires the secret key for Trigger.dev and builds the remote engine from it", () => {
    expect(() => settingsOf({ PAYCRON_ENGINE: "trigger" })).toThrow(/TRIGGER_SECRET_KEY/);
    const settings = settingsOf({ PAYCRON_ENGINE: "trigger", TRIGGER_SECRET_KEY: "tr_dev_x", TRIGGER_API_URL: baseURL });
    expect(settings).toEqual({ kind: "trigger", secretKey: "tr_dev_x", baseURL, limits: DEFAULT_TRIGGER_LIMITS });
    expect(triggerEngine(settings as Extract<typeof settings, { kind: "trigger" }>).kind).toBe("trigger");
    expect(settingsOf({ PAYCRON_ENGINE: "local" })).toEqual({ kind: "local" });
  });

  it("takes the platform's limits from the environment, for other plans and self-hosted instances", () => {
    const settings = settingsOf({
      PAYCRON_ENGINE: "trigger",
      TRIGGER_SECRET_KEY: "tr_dev_x",
      TRIGGER_MAX_BATCH_ITEMS: "500",
      TRIGGER_BATCH_BURST: "1200",
      TRIGGER_BATCH_REFILL_RUNS: "100",
      TRIGGER_BATCH_REFILL_SECONDS: "10",
      TRIGGER_API_REQUESTS_PER_MINUTE: "600",
    });
    expect(settings).toMatchObject({ limits: { maxBatchItems: 500, batchBurst: 1_200, batchRefillRuns: 100, batchRefillEveryMs: 10_000, apiRequestsPerMinute: 600 } });
    expect(() => settingsOf({ PAYCRON_ENGINE: "trigger", TRIGGER_SECRET_KEY: "x", TRIGGER_BATCH_BURST: "0" })).toThrow(/TRIGGER_BATCH_BURST/);
  });
});
