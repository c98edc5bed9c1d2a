import { beforeEach, describe, expect, it } from "vitest";
import { silentLogger, TestClock } from "@paycron/core";
import { useTestDb } from "@paycron/db/testing";
import {
  acknowledgeStripeEvent,
  acknowledgeSupabaseEvent,
  canonicalJson,
  loadWebhookEvent,
  markWebhookEventFailed,
  markWebhookEventIgnored,
  markWebhookEventProcessed,
  recordWebhookEvent,
  supabaseEventKey,
  type InboxError,
} from "../src/index.ts";

const t = useTestDb();
const clock = new TestClock("2026-03-01T12:00:00Z");
beforeEach(async () => {
  await t.db.deleteFrom("task_outbox").execute();
  await t.db.deleteFrom("webhook_events").execute();
});

const record = (id = `evt_${Math.random().toString(36).slice(2)}`) =>
  recordWebhookEvent(t.db, { provider: "stripe", providerEventId: id, type: "payment_intent.succeeded", payload: { id }, taskId: "stripe-payment-intent-succeeded" }, clock);

describe("canonical payload key", () => {
  it("ignores key order at every depth but not array order or values", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}');
    const a = { type: "INSERT" as const, table: "customers", schema: "public", record: { id: 1, name: "x" }, old_record: null };
    const b = { old_record: null, record: { name: "x", id: 1 }, schema: "public", table: "customers", type: "INSERT" as const };
    expect(supabaseEventKey(a)).toBe(supabaseEventKey(b));
    expect(supabaseEventKey(a)).not.toBe(supabaseEventKey({ ...a, record: { id: 1, name: "y" } }));
    expect(supabaseEventKey(a)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("recordWebhookEvent", () => {
  it("returns the first row for a duplicate and writes nothing", async () => {
    const first = await record("evt_dup");
    const second = await record("evt_dup");
    expect(first).toMatchObject({ duplicate: false, status: "received" });
    expect(second).toEqual({ id: first.id, status: "received", duplicate: true });
    expect(await t.db.selectFrom("task_outbox").select("id").execute()).toHaveLength(1);
  });

  it("keeps one row and one outbox entry under 20 concurrent writers", async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => record("evt_race")));
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(await t.db.selectFrom("task_outbox").select("id").execute()).toHaveLength(1);
  });
});

describe("settling an event", () => {
  it("moves received → processed once; a second run sees it is already final", async () => {
    const { id } = await record();
    expect(await markWebhookEventProcessed(t.db, id, clock)).toBe(true);
    expect(await markWebhookEventProcessed(t.db, id, clock)).toBe(false);
    expect(await markWebhookEventFailed(t.db, id, clock, "late failure")).toBe(false);
    const row = await loadWebhookEvent(t.db, id);
    expect(row).toMatchObject({ status: "processed", attempts: 1, error: null });
    expect(row.processed_at?.toISOString()).toBe("2026-03-01T12:00:00.000Z");
  });

  it("lets a failed event be retried into processed, and keeps ignored final", async () => {
    const a = await record();
    expect(await markWebhookEventFailed(t.db, a.id, clock, "stripe timed out")).toBe(true);
    expect(await loadWebhookEvent(t.db, a.id)).toMatchObject({ status: "failed", error: "stripe timed out", processed_at: null });
    expect(await markWebhookEventProcessed(t.db, a.id, clock)).toBe(true);
    expect(await loadWebhookEvent(t.db, a.id)).toMatchObject({ status: "processed", attempts: 2, error: null });

    const b = await record();
    expect(await markWebhookEventIgnored(t.db, b.id, clock, "not our customer")).toBe(true);
    expect(await markWebhookEventProcessed(t.db, b.id, clock)).toBe(false);
  });

  it("claims under concurrency: of 10 parallel acknowledgements exactly one settles", async () => {
    const { id } = await record();
    const deps = { db: t.db, clock, logger: silentLogger() };
    const results = await Promise.all(Array.from({ length: 10 }, () => acknowledgeStripeEvent(deps, { webhookEventId: id })));
    expect(results.filter((r) => r.settled)).toHaveLength(1);
  });

  it("refuses an unknown id and another provider's event, without retry", async () => {
    const deps = { db: t.db, clock, logger: silentLogger() };
    await expect(acknowledgeStripeEvent(deps, { webhookEventId: "00000000-0000-4000-8000-000000000000" })).rejects.toMatchObject({
      code: "webhook_event_not_found",
      retryable: false,
    } satisfies Partial<InboxError>);
    const { id } = await record();
    await expect(acknowledgeSupabaseEvent(deps, { webhookEventId: id })).rejects.toMatchObject({ code: "webhook_event_provider_mismatch" });
  });
});

describe("batched recording (recordWebhookEvents)", () => {
  const input = (id: string, taskId?: "stripe-charge-refunded") => ({ provider: "stripe" as const, providerEventId: id, type: "charge.refunded", payload: { id }, taskId });

  it("stores a mixed batch in one go: new, repeated within the batch, already stored, and unrouted", async () => {
    const { recordWebhookEvents } = await import("../src/index.ts");
    const earlier = await recordWebhookEvent(t.db, input("evt_old", "stripe-charge-refunded"), clock);
    const results = await recordWebhookEvents(
      t.db,
      [input("evt_a", "stripe-charge-refunded"), input("evt_a", "stripe-charge-refunded"), input("evt_old", "stripe-charge-refunded"), input("evt_ign")],
      clock,
    );
    expect(results.map((r) => [r.status, r.duplicate])).toEqual([["received", false], ["received", true], ["received", true], ["ignored", false]]);
    expect(results[1]!.id).toBe(results[0]!.id);
    expect(results[2]!.id).toBe(earlier.id);
    const outbox = await t.db.selectFrom("task_outbox").select(["idempotency_key", "payload"]).orderBy("idempotency_key").execute();
    expect(outbox).toEqual([
      { idempotency_key: "stripe:evt_a", payload: { webhookEventId: results[0]!.id } },
      { idempotency_key: "stripe:evt_old", payload: { webhookEventId: earlier.id } },
    ]);
  });
});
