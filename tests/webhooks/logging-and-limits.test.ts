import { describe, expect, it } from "vitest";
import { TestClock } from "@paycron/core";
import { useTestDb, waitFor } from "@paycron/db/testing";
import { buildSampleSupabasePayload } from "@paycron/inbox";
import { buildSampleStripeEvent, signStripeEvent } from "@paycron/stripe";
import { createApp, startWebhookServer } from "@paycron/webhooks";
import { capturingLogger, hangUpMidBody, REFERENCE_TIME, STRIPE_OLD_SECRET, STRIPE_SECRET, SUPABASE_SECRET, testApp, testConfig } from "./helpers.ts";

const t = useTestDb();

describe("logs", () => {
  it("write JSON with a request id on every line, the event id and type, and never the payload or a secret", async () => {
    const { logger, lines, raw } = capturingLogger();
    const clock = new TestClock(REFERENCE_TIME);
    const app = createApp({ db: t.db, config: testConfig(), logger, clock });
    const marker = "Marker-Do-Not-Log-7f3a";
    const event = buildSampleStripeEvent("customer.updated", { clock, object: { name: marker } });
    const signed = signStripeEvent(event, STRIPE_SECRET, { clock });
    expect((await app.request("/webhooks/stripe", { method: "POST", headers: signed.headers, body: signed.body })).status).toBe(200);
    const supabase = buildSampleSupabasePayload("customers:INSERT", { clock, record: { name: marker } });
    const auth = { authorization: `Bearer ${SUPABASE_SECRET}` };
    expect((await app.request("/webhooks/supabase", { method: "POST", headers: auth, body: JSON.stringify(supabase) })).status).toBe(200);
    expect((await app.request("/webhooks/stripe", { method: "POST", headers: { "stripe-signature": "t=1,v1=ab" }, body: signed.body })).status).toBe(400);
    expect((await app.request("/webhooks/supabase", { method: "POST", headers: { authorization: "Bearer nope" }, body: "{}" })).status).toBe(401);

    expect(lines.length).toBeGreaterThanOrEqual(4);
    for (const line of lines) expect(line.requestId).toEqual(expect.any(String));
    expect(lines).toContainEqual(expect.objectContaining({ eventId: event.id, eventType: "customer.updated", status: 200, eventStatus: "received", duplicate: false }));
    expect(lines).toContainEqual(expect.objectContaining({ eventType: "customers:INSERT", status: 200, eventStatus: "received" }));
    expect(lines).toContainEqual(expect.objectContaining({ status: 401 }));
    for (const secret of [marker, STRIPE_SECRET, STRIPE_OLD_SECRET, SUPABASE_SECRET, signed.headers["stripe-signature"]]) {
      expect(raw()).not.toContain(secret);
    }
  });
});

describe("a client that hangs up mid-body", () => {
  it("is logged once per request, at info, as a client abort with no stack: never as an error", async () => {
    const { logger, lines } = capturingLogger();
    const server = await startWebhookServer({ db: t.db, config: testConfig(), logger, port: 0, hostname: "127.0.0.1" });
    try {
      const port = Number(new URL(server.url).port);
      const routes = [
        ["/webhooks/stripe", "Stripe-Signature: t=1,v1=ab"],
        ["/webhooks/supabase", `Authorization: Bearer ${SUPABASE_SECRET}`],
      ];
      for (const [path, credential] of routes) {
        const head = `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n${credential}\r\n`;
        await hangUpMidBody(port, `${head}Content-Length: 100\r\n\r\n`, '{"type":"INSERT","tab');
        await hangUpMidBody(port, `${head}Transfer-Encoding: chunked\r\n\r\n`, '14\r\n{"type":"INSERT","tab');
      }

      const aborts = await waitFor(async () => {
        const found = lines.filter((l) => l.msg === "client aborted the request");
        return found.length >= 4 && found;
      }, "a client-abort line for each of the four requests");
      expect(aborts).toHaveLength(4);
      for (const line of aborts) {
        expect(line).toMatchObject({ level: 30, status: 499, method: "POST" });
        expect(line).not.toHaveProperty("stack");
        expect(line).not.toHaveProperty("err");
      }
      expect(lines.filter((l) => (l.level as number) >= 50)).toEqual([]);
      // Each request wrote its one access line and nothing else.
      expect(lines.filter((l) => l.msg !== "webhook server listening")).toHaveLength(4);
    } finally {
      await server.close();
    }
  });
});

describe("rate limiting", () => {
  it("is off by default", async () => {
    const { app } = testApp(t.db);
    const statuses = await Promise.all(Array.from({ length: 100 }, async () => (await app.request("/webhooks/supabase", { method: "POST", body: "{}" })).status));
    expect(new Set(statuses)).toEqual(new Set([401]));
  });

  it("limits each source separately when configured, with 429 and Retry-After", async () => {
    const config = testConfig({ WEBHOOK_RATE_LIMIT_PER_SECOND: "0.5", WEBHOOK_RATE_LIMIT_BURST: "3" });
    const { app } = testApp(t.db, { config });
    const supabase = await Promise.all(Array.from({ length: 5 }, () => app.request("/webhooks/supabase", { method: "POST", body: "{}" })));
    expect(supabase.map((r) => r.status)).toEqual([401, 401, 401, 429, 429]);
    expect(supabase[3]!.headers.get("retry-after")).toBe("2");
    expect(((await supabase[3]!.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
    // Stripe is another source with its own bucket.
    const stripe = await app.request("/webhooks/stripe", { method: "POST", body: "{}" });
    expect(stripe.status).toBe(400);
    expect((await app.request("/healthz")).status).toBe(200);
  });
});
