import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { silentLogger, systemClock } from "@paycron/core";
import { useTestDb } from "@paycron/db/testing";
import { runUntilIdle } from "@paycron/local-engine/testing";
import { startWebhookServer, type WebhookServer } from "@paycron/webhooks";
import { countRows, rawRequest, stripeDelivery, SUPABASE_SECRET, testConfig, truncateInbox } from "./helpers.ts";

const t = useTestDb();
const LIMIT = 64 * 1024;
let server: WebhookServer;

beforeAll(async () => {
  server = await startWebhookServer({
    db: t.db,
    config: testConfig({ WEBHOOK_BODY_LIMIT_BYTES: String(LIMIT) }),
    logger: silentLogger(),
    port: 0,
    hostname: "127.0.0.1",
  });
});
afterAll(() => server?.close());
beforeEach(() => truncateInbox(t.db));

describe("a listening server", () => {
  it("turns 50 concurrent deliveries of one event into one stored row and exactly one run", async () => {
    const delivery = stripeDelivery("payment_intent.succeeded", { clock: systemClock });
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => fetch(`${server.url}/webhooks/stripe`, delivery.init).then(async (r) => [r.status, await r.json()])),
    );
    expect(responses).toEqual(Array.from({ length: 50 }, () => [200, { received: true }]));
    expect(await countRows(t.db, "webhook_events")).toBe(1);
    expect(await countRows(t.db, "task_outbox")).toBe(1);

    await runUntilIdle({ db: t.db, connectionString: t.url, clock: systemClock, logger: silentLogger() });
    const runs = await t.db.selectFrom("task_runs").select(["task_id", "status"]).execute();
    expect(runs).toEqual([{ task_id: "stripe-payment-intent-succeeded", status: "completed" }]);
    const stored = await t.db.selectFrom("webhook_events").select(["status", "attempts", "processed_at"]).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ status: "ignored", attempts: 1 });
    expect(stored.processed_at).not.toBeNull();
  });

  it("refuses a declared Content-Length over the limit with 413 before reading the body", async () => {
    const declared = LIMIT + 1;
    const part = Buffer.alloc(LIMIT / 2, 0x20);
    const { status, sent } = await new Promise<{ status: number; sent: number }>((resolve, reject) => {
      let sent = 0;
      const req = httpRequest(`${server.url}/webhooks/stripe`, {
        method: "POST",
        headers: { "stripe-signature": "t=1,v1=00", "content-length": String(declared) },
      });
      // The declared body never arrives in full: a server that read it before judging would never answer.
      req.write(part);
      sent += part.length;
      req.on("response", (res) => {
        res.resume();
        resolve({ status: res.statusCode!, sent });
        req.destroy();
      });
      req.on("error", reject);
    });
    expect(status).toBe(413);
    // With fewer bytes than the limit in hand, only the header can have told the server.
    expect(sent).toBeLessThan(LIMIT);
    expect(await countRows(t.db, "webhook_events")).toBe(0);
  });

  it("cuts off a chunked body without Content-Length at the limit with 413", async () => {
    const chunk = Buffer.alloc(8 * 1024, 0x20);
    const result = await new Promise<{ status: number; sent: number }>((resolve, reject) => {
      let sent = 0;
      let done = false;
      const req = httpRequest(`${server.url}/webhooks/supabase`, {
        method: "POST",
        headers: { authorization: `Bearer ${SUPABASE_SECRET}`, "transfer-encoding": "chunked" },
      });
      const pump = () => {
        // Stop one chunk past the limit and never end the body: only a server that stops counting
        // at the limit answers at all.
        if (done || sent > LIMIT) return;
        sent += chunk.length;
        if (req.write(chunk)) setImmediate(pump);
        else req.once("drain", pump);
      };
      req.on("response", (res) => {
        done = true;
        res.resume();
        resolve({ status: res.statusCode!, sent });
        req.destroy();
      });
      req.on("error", (error) => (done ? undefined : reject(error)));
      pump();
    });
    expect(result.status).toBe(413);
    // Not refused early: the answer came only once the bytes sent had passed the limit.
    expect(result.sent).toBeGreaterThan(LIMIT);
    expect(await countRows(t.db, "webhook_events")).toBe(0);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it("answers malformed HTTP with 400 and keeps serving", async () => {
    const reply = await rawRequest(Number(new URL(server.url).port), "POST /webhooks/stripe HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n{}");
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
