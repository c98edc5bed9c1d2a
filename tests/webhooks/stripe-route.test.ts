import { beforeEach, describe, expect, it } from "vitest";
import { TestClock } from "@paycron/core";
import { useTestDb } from "@paycron/db/testing";
import { STRIPE_EVENT_ROUTES } from "@paycron/inbox";
import { buildSampleStripeEvent, SAMPLE_STRIPE_EVENT_TYPES, signStripeEvent, signStripePayload } from "@paycron/stripe";
import { countRows, REFERENCE_TIME, STRIPE_OLD_SECRET, STRIPE_SECRET, stripeDelivery, testApp, truncateInbox } from "./helpers.ts";

const t = useTestDb();
beforeEach(() => truncateInbox(t.db));

async function expectRefused(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/application\/json/);
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe("string");
  const text = JSON.stringify(body);
  expect(text).not.toContain(STRIPE_SECRET);
  expect(text).not.toMatch(/\n\s+at /);
}

async function expectNothingStored() {
  expect(await countRows(t.db, "webhook_events")).toBe(0);
  expect(await countRows(t.db, "task_outbox")).toBe(0);
}

describe("POST /webhooks/stripe: signed fixtures of every routed type", () => {
  it("has a sample for every routed type", () => {
    expect([...SAMPLE_STRIPE_EVENT_TYPES].sort()).toEqual(Object.keys(STRIPE_EVENT_ROUTES).sort());
  });

  it.each(Object.entries(STRIPE_EVENT_ROUTES))("%s is stored as received and routed to %s in the same transaction", async (type, taskId) => {
    const { app } = testApp(t.db);
    const delivery = stripeDelivery(type);
    const res = await app.request("/webhooks/stripe", delivery.init);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: true });

    const stored = await t.db.selectFrom("webhook_events").selectAll().execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ provider: "stripe", provider_event_id: delivery.event.id, type, status: "received" });
    expect(stored[0]!.payload).toEqual(delivery.event);
    expect(stored[0]!.received_at.toISOString()).toBe(REFERENCE_TIME);

    const outbox = await t.db.selectFrom("task_outbox").selectAll().execute();
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ task_id: taskId, idempotency_key: `stripe:${delivery.event.id}` });
    // Tasks get the stored row's id and load the event; the event itself never rides in the run.
    expect(outbox[0]!.payload).toEqual({ webhookEventId: stored[0]!.id });
  });

  it("answers a redelivery 200 without a second row or a second run", async () => {
    const { app } = testApp(t.db);
    const delivery = stripeDelivery("payment_intent.succeeded");
    for (let i = 0; i < 3; i++) {
      const res = await app.request("/webhooks/stripe", delivery.init);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ received: true });
    }
    // Stripe re-signs a retry with a new timestamp: still the same event.
    const resigned = signStripeEvent(delivery.event, STRIPE_SECRET, { clock: new TestClock(REFERENCE_TIME) });
    expect((await app.request("/webhooks/stripe", { method: "POST", headers: resigned.headers, body: resigned.body })).status).toBe(200);
    expect(await countRows(t.db, "webhook_events")).toBe(1);
    expect(await countRows(t.db, "task_outbox")).toBe(1);
  });

  it("stores an unrouted type as ignored, answers 200 and enqueues nothing", async () => {
    const { app } = testApp(t.db);
    const delivery = stripeDelivery("invoice.created");
    const res = await app.request("/webhooks/stripe", delivery.init);
    expect(res.status).toBe(200);
    const stored = await t.db.selectFrom("webhook_events").selectAll().executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ type: "invoice.created", status: "ignored" });
    expect(stored.processed_at).not.toBeNull();
    expect(await countRows(t.db, "task_outbox")).toBe(0);
  });
});

describe("POST /webhooks/stripe: signatures", () => {
  it("refuses a tampered body with 400 and stores nothing", async () => {
    const { app } = testApp(t.db);
    const delivery = stripeDelivery("payment_intent.succeeded");
    const tampered = delivery.body.replace('"amount": 4900', '"amount": 1');
    expect(tampered).not.toBe(delivery.body);
    await expectRefused(await app.request("/webhooks/stripe", { ...delivery.init, body: tampered }), 400, "signature_mismatch");
    await expectNothingStored();
  });

  it("refuses a signature older than 300 s (stale timestamp) and accepts one just inside", async () => {
    const { app, clock } = testApp(t.db);
    const now = Math.floor(clock.now().getTime() / 1000);
    const stale = stripeDelivery("payment_intent.succeeded", { timestampSeconds: now - 301 });
    await expectRefused(await app.request("/webhooks/stripe", stale.init), 400, "signature_expired");
    await expectNothingStored();

    const fresh = stripeDelivery("payment_intent.succeeded", { timestampSeconds: now - 299 });
    expect((await app.request("/webhooks/stripe", fresh.init)).status).toBe(200);
  });

  it("ages signatures by the injected clock, not the wall clock", async () => {
    const { app, clock } = testApp(t.db);
    const delivery = stripeDelivery("payment_intent.succeeded");
    clock.advance(301_000);
    await expectRefused(await app.request("/webhooks/stripe", delivery.init), 400, "signature_expired");
  });

  it("accepts the old and the new secret during a rotation, and no other", async () => {
    const { app } = testApp(t.db);
    const signedWithNew = stripeDelivery("payment_intent.succeeded", { secret: STRIPE_SECRET });
    const signedWithOld = stripeDelivery("payment_intent.succeeded", { secret: STRIPE_OLD_SECRET });
    const signedWithOther = stripeDelivery("payment_intent.succeeded", { secret: "whsec_someone_else" });
    expect((await app.request("/webhooks/stripe", signedWithNew.init)).status).toBe(200);
    expect((await app.request("/webhooks/stripe", signedWithOld.init)).status).toBe(200);
    await expectRefused(await app.request("/webhooks/stripe", signedWithOther.init), 400, "signature_mismatch");
    expect(await countRows(t.db, "webhook_events")).toBe(2);
  });

  it("accepts a header carrying several v1 signatures when one matches (Stripe signs with both secrets mid-rotation)", async () => {
    const { app, clock } = testApp(t.db);
    const delivery = stripeDelivery("customer.updated");
    const ts = Math.floor(clock.now().getTime() / 1000);
    const other = signStripePayload(delivery.body, "whsec_someone_else", ts).split("v1=")[1];
    const header = `${delivery.headers["stripe-signature"]},v1=${other}`;
    const res = await app.request("/webhooks/stripe", { method: "POST", headers: { "stripe-signature": header }, body: delivery.body });
    expect(res.status).toBe(200);
  });

  it("refuses a missing signature header", async () => {
    const { app } = testApp(t.db);
    const delivery = stripeDelivery("payment_intent.succeeded");
    await expectRefused(await app.request("/webhooks/stripe", { method: "POST", body: delivery.body }), 400, "signature_missing");
    await expectNothingStored();
  });

  it.each(["garbage", "t=abc,v1=00", "v1=deadbeef", "t=1700000000", "t=1700000000,v0=abc"])("refuses the malformed header %j", async (header) => {
    const { app } = testApp(t.db);
    const delivery = stripeDelivery("payment_intent.succeeded");
    await expectRefused(await app.request("/webhooks/stripe", { method: "POST", headers: { "stripe-signature": header }, body: delivery.body }), 400, "signature_malformed");
    await expectNothingStored();
  });
});

describe("POST /webhooks/stripe: bodies", () => {
  function signed(body: string, clock = new TestClock(REFERENCE_TIME)) {
    const header = signStripePayload(body, STRIPE_SECRET, Math.floor(clock.now().getTime() / 1000));
    return { method: "POST", headers: { "stripe-signature": header }, body } satisfies RequestInit;
  }

  it("refuses a correctly signed body that is not JSON", async () => {
    const { app } = testApp(t.db);
    await expectRefused(await app.request("/webhooks/stripe", signed("{not json")), 400, "invalid_json");
    await expectNothingStored();
  });

  it.each([["{}"], ['{"id":"evt_1"}'], ['{"type":"payment_intent.succeeded"}'], ['{"id":42,"type":"x"}'], ["[]"], ["null"]])(
    "refuses the signed non-event %s",
    async (body) => {
      const { app } = testApp(t.db);
      await expectRefused(await app.request("/webhooks/stripe", signed(body)), 400, "invalid_event");
      await expectNothingStored();
    },
  );

  it("refuses an empty body", async () => {
    const { app } = testApp(t.db);
    const res = await app.request("/webhooks/stripe", { method: "POST", headers: { "stripe-signature": "t=1,v1=ab" }, body: "" });
    expect(res.status).toBe(400);
    await expectNothingStored();
  });

  it("verifies the exact bytes: odd whitespace and non-ASCII text pass untouched", async () => {
    const { app } = testApp(t.db);
    const event = buildSampleStripeEvent("customer.updated", { clock: new TestClock(REFERENCE_TIME), object: { name: "Café € Ünïcode" } });
    const body = `  ${JSON.stringify(event, null, 7)}\r\n`;
    const res = await app.request("/webhooks/stripe", signed(body));
    expect(res.status).toBe(200);
    const stored = await t.db.selectFrom("webhook_events").select("payload").executeTakeFirstOrThrow();
    expect((stored.payload as { data: { object: { name: string } } }).data.object.name).toBe("Café € Ünïcode");
  });
});

describe("routing errors", () => {
  it("answers a wrong method with 405 and an Allow header", async () => {
    const { app } = testApp(t.db);
    const res = await app.request("/webhooks/stripe", { method: "GET" });
    await expectRefused(res, 405, "method_not_allowed");
    expect(res.headers.get("allow")).toBe("POST");
    await expectRefused(await app.request("/webhooks/supabase", { method: "PUT", body: "{}" }), 405, "method_not_allowed");
    await expectRefused(await app.request("/healthz", { method: "POST" }), 405, "method_not_allowed");
  });

  it("answers an unknown path with 404", async () => {
    const { app } = testApp(t.db);
    await expectRefused(await app.request("/webhooks/paypal", { method: "POST", body: "{}" }), 404, "not_found");
    await expectRefused(await app.request("/", { method: "GET" }), 404, "not_found");
  });

  it("gives every response a request id", async () => {
    const { app } = testApp(t.db);
    const res = await app.request("/healthz");
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});
