import { beforeEach, describe, expect, it } from "vitest";
import { TestClock } from "@paycron/core";
import { useTestDb } from "@paycron/db/testing";
import { buildSampleSupabasePayload, SUPABASE_EVENT_ROUTES, supabaseEventKey } from "@paycron/inbox";
import { countRows, REFERENCE_TIME, SUPABASE_SECRET, testApp, truncateInbox } from "./helpers.ts";

const t = useTestDb();
beforeEach(() => truncateInbox(t.db));

const clock = new TestClock(REFERENCE_TIME);
const post = (body: unknown, headers: Record<string, string> = { authorization: `Bearer ${SUPABASE_SECRET}` }): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: typeof body === "string" ? body : JSON.stringify(body),
});

async function expectRefused(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  expect(JSON.stringify(body)).not.toContain(SUPABASE_SECRET);
  expect(await countRows(t.db, "webhook_events")).toBe(0);
  expect(await countRows(t.db, "task_outbox")).toBe(0);
}

describe("POST /webhooks/supabase", () => {
  it.each(Object.entries(SUPABASE_EVENT_ROUTES))("routes %s to %s with the stored row id", async (event, taskId) => {
    const { app } = testApp(t.db);
    const payload = buildSampleSupabasePayload(event, { clock });
    const res = await app.request("/webhooks/supabase", post(payload));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: true });
    const stored = await t.db.selectFrom("webhook_events").selectAll().executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ provider: "supabase", type: event, status: "received", provider_event_id: supabaseEventKey(payload) });
    expect(stored.payload).toEqual(payload);
    const outbox = await t.db.selectFrom("task_outbox").selectAll().executeTakeFirstOrThrow();
    expect(outbox).toMatchObject({ task_id: taskId, idempotency_key: `supabase:${supabaseEventKey(payload)}` });
    expect(outbox.payload).toEqual({ webhookEventId: stored.id });
  });

  it("deduplicates a redelivery whatever its key order", async () => {
    const { app } = testApp(t.db);
    const payload = buildSampleSupabasePayload("invoices:UPDATE", { clock });
    const reordered = Object.fromEntries(
      Object.entries(payload)
        .reverse()
        .map(([k, v]) => [k, v && typeof v === "object" ? Object.fromEntries(Object.entries(v).reverse()) : v]),
    );
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(payload));
    expect((await app.request("/webhooks/supabase", post(payload))).status).toBe(200);
    expect((await app.request("/webhooks/supabase", post(reordered))).status).toBe(200);
    expect((await app.request("/webhooks/supabase", post(JSON.stringify(payload, null, 4)))).status).toBe(200);
    expect(await countRows(t.db, "webhook_events")).toBe(1);
    expect(await countRows(t.db, "task_outbox")).toBe(1);
  });

  it("keeps two different changes of the same row apart", async () => {
    const { app } = testApp(t.db);
    const first = buildSampleSupabasePayload("subscriptions:UPDATE", { clock });
    const second = { ...first, record: { ...first.record, status: "canceled", updated_at: "2026-03-01T12:05:00.000Z" } };
    expect((await app.request("/webhooks/supabase", post(first))).status).toBe(200);
    expect((await app.request("/webhooks/supabase", post(second))).status).toBe(200);
    expect(await countRows(t.db, "webhook_events")).toBe(2);
  });

  it("stores an unrouted table or operation as ignored without a run", async () => {
    const { app } = testApp(t.db);
    const payload = { type: "DELETE", table: "customers", schema: "public", record: null, old_record: { id: "x" } };
    expect((await app.request("/webhooks/supabase", post(payload))).status).toBe(200);
    const otherSchema = { ...buildSampleSupabasePayload("customers:INSERT", { clock }), schema: "auth" };
    expect((await app.request("/webhooks/supabase", post(otherSchema))).status).toBe(200);
    const rows = await t.db.selectFrom("webhook_events").select(["type", "status"]).orderBy("type").execute();
    expect(rows).toEqual([
      { type: "customers:DELETE", status: "ignored" },
      { type: "customers:INSERT", status: "ignored" },
    ]);
    expect(await countRows(t.db, "task_outbox")).toBe(0);
  });

  it("refuses a missing Authorization header with 401", async () => {
    const { app } = testApp(t.db);
    const res = await app.request("/webhooks/supabase", post(buildSampleSupabasePayload("customers:INSERT", { clock }), {}));
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    await expectRefused(res, 401, "unauthorized");
  });

  it.each([
    ["a wrong secret", `Bearer ${SUPABASE_SECRET}x`],
    ["a prefix of the secret", `Bearer ${SUPABASE_SECRET.slice(0, -1)}`],
    ["the secret without the Bearer scheme", SUPABASE_SECRET],
    ["Basic auth", `Basic ${Buffer.from(`u:${SUPABASE_SECRET}`).toString("base64")}`],
    ["an empty bearer", "Bearer "],
  ])("refuses %s with 401", async (_name, authorization) => {
    const { app } = testApp(t.db);
    await expectRefused(await app.request("/webhooks/supabase", post(buildSampleSupabasePayload("customers:INSERT", { clock }), { authorization })), 401, "unauthorized");
  });

  it("refuses a body that is not JSON with 400", async () => {
    const { app } = testApp(t.db);
    await expectRefused(await app.request("/webhooks/supabase", post("{\"type\":")), 400, "invalid_json");
    await expectRefused(await app.request("/webhooks/supabase", { method: "POST", headers: { authorization: `Bearer ${SUPABASE_SECRET}` }, body: new Uint8Array([0xff, 0xfe, 0x7b, 0x7d]) }), 400, "invalid_json");
  });

  it.each([
    ["an unknown operation", { type: "TRUNCATE", table: "customers", schema: "public", record: null, old_record: null }],
    ["an INSERT without record", { type: "INSERT", table: "customers", schema: "public", record: null, old_record: null }],
    ["an UPDATE without old_record", { type: "UPDATE", table: "invoices", schema: "public", record: { id: 1 }, old_record: null }],
    ["a missing table", { type: "INSERT", schema: "public", record: { id: 1 } }],
    ["a record that is not an object", { type: "INSERT", table: "customers", schema: "public", record: [1, 2] }],
    ["an array", [1, 2, 3]],
  ])("refuses %s with 400 (schema)", async (_name, payload) => {
    const { app } = testApp(t.db);
    await expectRefused(await app.request("/webhooks/supabase", post(payload)), 400, "invalid_payload");
  });

  it("refuses a payload Postgres cannot store (NUL in a string) with 400, not 503", async () => {
    const { app } = testApp(t.db);
    const payload = buildSampleSupabasePayload("customers:INSERT", { clock, record: { name: "bad\u0000name" } });
    await expectRefused(await app.request("/webhooks/supabase", post(payload)), 400, "invalid_payload");
  });
});
