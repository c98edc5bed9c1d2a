import { createServer } from "node:net";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { TestClock } from "@paycron/core";
import { createDb, type Db } from "@paycron/db";
import { useTestDb } from "@paycron/db/testing";
import { buildSampleSupabasePayload } from "@paycron/inbox";
import { createApp } from "@paycron/webhooks";
import { capturingLogger, countRows, deepSupabaseDelivery, REFERENCE_TIME, stripeDelivery, SUPABASE_SECRET, testConfig } from "./helpers.ts";

/*
 * One case per class of the rule in apps/webhooks/src/error-status.ts: the input → 4xx; storage
 * really unavailable → 503 with Retry-After; anything else → 500, logged with its stack.
 */
const t = useTestDb();

function appOn(db: Db) {
  const clock = new TestClock(REFERENCE_TIME);
  const { logger, lines } = capturingLogger();
  return { app: createApp({ db, config: testConfig(), logger, clock }), clock, lines };
}

const supabaseInit = (record: Record<string, unknown>, clock: TestClock) => ({
  method: "POST",
  headers: { authorization: `Bearer ${SUPABASE_SECRET}` },
  body: JSON.stringify(buildSampleSupabasePayload("customers:INSERT", { clock, record })),
});

const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;
const errorLines = (lines: Record<string, unknown>[]) => lines.filter((l) => (l.level as number) >= 50);

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("what a failed request answers", () => {
  it("input that can never be stored is a 4xx, logged as a refusal and not as an error", async () => {
    const { app, clock, lines } = appOn(t.db);
    const cases = [
      // Refused by our checks before any storage work.
      [deepSupabaseDelivery(1_000, { clock }), "payload_too_deep", "more than 64 levels"],
      [supabaseInit({ name: "nul \u0000 inside" }, clock), "invalid_payload", "NUL character"],
      // Refused by Postgres itself: jsonb will not hold a lone surrogate (SQLSTATE class 22).
      [supabaseInit({ name: "lone \ud800 surrogate" }, clock), "invalid_payload", "rejected by the database"],
    ] as const;
    for (const [init, code, message] of cases) {
      const res = await app.request("/webhooks/supabase", { method: "POST", ...init });
      expect(res.status).toBe(400);
      expect(await errorOf(res)).toEqual({ code, message: expect.stringContaining(message) });
    }
    expect(await countRows(t.db, "webhook_events")).toBe(0);
    expect(errorLines(lines)).toEqual([]);
    expect(lines.filter((l) => l.msg === "request refused")).toHaveLength(3);
  });

  it("a database that cannot be reached is a 503 with Retry-After, so the sender retries", async () => {
    const url = new URL(t.url);
    url.hostname = "127.0.0.1";
    url.port = String(await closedPort());
    const db = createDb({ connectionString: url.toString(), max: 1, onError: () => {} });
    try {
      const { app, clock, lines } = appOn(db);
      const res = await app.request("/webhooks/stripe", stripeDelivery("payment_intent.succeeded", { clock }).init);
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("5");
      expect((await errorOf(res)).code).toBe("storage_unavailable");
      expect(errorLines(lines)).toContainEqual(expect.objectContaining({ err: expect.stringContaining("ECONNREFUSED") }));
    } finally {
      await db.destroy();
    }
  });

  it.each([
    ["a RangeError", new RangeError("Maximum call stack size exceeded")],
    ["a TypeError", new TypeError("Cannot read properties of undefined (reading 'id')")],
  ])("%s from our own code is a 500, logged at error with its stack, not passed off as an outage", async (_name, fault) => {
    // The fault strikes inside the store step, where a database error would have been a 503.
    const pool = new pg.Pool({ connectionString: t.url });
    pool.connect = (() => Promise.reject(fault)) as unknown as typeof pool.connect;
    const db = createDb(pool);
    try {
      const { app, clock, lines } = appOn(db);
      const res = await app.request("/webhooks/stripe", stripeDelivery("payment_intent.succeeded", { clock }).init);
      expect(res.status).toBe(500);
      expect(res.headers.get("retry-after")).toBeNull();
      expect(await errorOf(res)).toEqual({ code: "internal_error", message: "internal error; the request was not processed" });
      expect(errorLines(lines)).toContainEqual(
        expect.objectContaining({ msg: "unhandled error", err: fault.message, stack: expect.stringContaining(fault.name) }),
      );
    } finally {
      await db.destroy();
    }
  });
});
