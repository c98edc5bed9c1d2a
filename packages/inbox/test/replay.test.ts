import { sql } from "kysely";
import { beforeEach, describe, expect, it } from "vitest";
import { silentLogger, TestClock } from "@paycron/core";
import { useTestDb, waitFor } from "@paycron/db/testing";
import {
  acknowledgeStripeEvent,
  acknowledgeSupabaseEvent,
  buildSampleSupabasePayload,
  loadWebhookEvent,
  markWebhookEventFailed,
  markWebhookEventProcessed,
  recordStripeEvent,
  recordSupabaseEvent,
  createWebhookInbox,
  replayWebhookEvents,
  type InboxError,
  type ReplayWebhookEventsInput,
} from "../src/index.ts";

const t = useTestDb();
const clock = new TestClock("2026-12-02T10:00:00Z");
const deps = () => ({ db: t.db, clock, logger: silentLogger() });
beforeEach(async () => {
  clock.set("2026-12-02T10:00:00Z");
  await t.db.deleteFrom("task_outbox").execute();
  await t.db.deleteFrom("webhook_events").execute();
});

const stripe = (id: string, type = "payment_intent.succeeded") => recordStripeEvent(createWebhookInbox(t.db, clock), { id, type, object: "event" });

/** What the webhook task does today: a stored event ends `unhandled`, ready to be replayed. */
async function storeAndAcknowledge(id: string, type?: string) {
  const recorded = await stripe(id, type);
  await acknowledgeStripeEvent(deps(), { webhookEventId: recorded.id });
  return recorded;
}

/**
 * Runs `replays` while another transaction holds the events' rows, and lets go only once `waiters`
 * of them wait on it: each has read the events as unhandled by then, so they truly race.
 */
async function racing<T>(ids: string[], waiters: number, replays: () => Array<Promise<T>>): Promise<Array<PromiseSettledResult<T>>> {
  let release!: () => void;
  let locked!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const lockTaken = new Promise<void>((r) => (locked = r));
  const holder = t.db.transaction().execute(async (tx) => {
    await tx.selectFrom("webhook_events").select("id").where("id", "in", ids).forUpdate().execute();
    locked();
    await held;
  });
  await lockTaken;
  const results = Promise.allSettled(replays());
  await waitFor(async () => {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(t.db);
    return rows[0]!.n >= waiters;
  }, `${waiters} replays waiting on the held rows`);
  release();
  await holder;
  return results;
}

const outboxKeys = async () =>
  (await t.db.selectFrom("task_outbox").select("idempotency_key").orderBy("idempotency_key").execute()).map((r) => r.idempotency_key);

describe("acknowledging an event no handler acts on yet", () => {
  it("settles it as unhandled, not processed, once", async () => {
    const { id } = await stripe("evt_ack");
    expect(await acknowledgeStripeEvent(deps(), { webhookEventId: id })).toMatchObject({ settled: true });
    expect(await acknowledgeStripeEvent(deps(), { webhookEventId: id })).toMatchObject({ settled: false });
    expect(await loadWebhookEvent(t.db, id)).toMatchObject({ status: "unhandled", attempts: 1, error: null, replays: 0 });

    const supabase = await recordSupabaseEvent(createWebhookInbox(t.db, clock), buildSampleSupabasePayload("customers:INSERT", { clock }));
    await acknowledgeSupabaseEvent(deps(), { webhookEventId: supabase.id });
    expect(await loadWebhookEvent(t.db, supabase.id)).toMatchObject({ status: "unhandled" });
  });
});

describe("replayWebhookEvents by id", () => {
  it("re-opens the event and enqueues its task with a new key per replay", async () => {
    const { id } = await storeAndAcknowledge("evt_one");
    const first = await replayWebhookEvents(deps(), { id: "evt_one" });
    expect(first.replayed).toEqual([
      {
        webhookEventId: id,
        provider: "stripe",
        providerEventId: "evt_one",
        type: "payment_intent.succeeded",
        taskId: "stripe-payment-intent-succeeded",
        outboxId: expect.any(String),
        replay: 1,
        idempotencyKey: "stripe:evt_one:replay:1",
      },
    ]);
    expect(await loadWebhookEvent(t.db, id)).toMatchObject({ status: "received", processed_at: null, replays: 1 });
    const outbox = await t.db.selectFrom("task_outbox").select(["task_id", "payload"]).where("id", "=", first.replayed[0]!.outboxId).executeTakeFirstOrThrow();
    expect(outbox).toEqual({ task_id: "stripe-payment-intent-succeeded", payload: { webhookEventId: id } });

    // The replayed run settles it again; the next replay is a new run again, by the row's id this time.
    await acknowledgeStripeEvent(deps(), { webhookEventId: id });
    const second = await replayWebhookEvents(deps(), { id });
    expect(second.replayed.map((r) => r.idempotencyKey)).toEqual(["stripe:evt_one:replay:2"]);
    expect(await outboxKeys()).toEqual(["stripe:evt_one", "stripe:evt_one:replay:1", "stripe:evt_one:replay:2"]);
  });

  it("makes one new run of two concurrent replays; the other is told a run is in flight", async () => {
    const { id } = await storeAndAcknowledge("evt_race");
    const results = await racing([id], 2, () => [replayWebhookEvents(deps(), { id }), replayWebhookEvents(deps(), { id })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: "webhook_event_not_replayable" } satisfies Partial<InboxError>);
    expect(refused.reason.message).toMatch(/is received: a run of its task is queued or in flight/);
    expect(await outboxKeys()).toEqual(["stripe:evt_race", "stripe:evt_race:replay:1"]);
  });

  it("reuses its replay number when its transaction is rolled back and retried", async () => {
    const { id } = await storeAndAcknowledge("evt_retry");
    await expect(
      t.db.transaction().execute(async (tx) => {
        const inside = await replayWebhookEvents({ ...deps(), db: tx }, { id });
        expect(inside.replayed[0]!.idempotencyKey).toBe("stripe:evt_retry:replay:1");
        throw new Error("connection lost before commit");
      }),
    ).rejects.toThrow("connection lost before commit");
    expect(await loadWebhookEvent(t.db, id)).toMatchObject({ status: "unhandled", replays: 0 });
    const retried = await replayWebhookEvents(deps(), { id });
    expect(retried.replayed[0]!.idempotencyKey).toBe("stripe:evt_retry:replay:1");
  });

  it("replays a failed event, but refuses processed, ignored and in-flight ones with the reason", async () => {
    const failed = await stripe("evt_failed");
    await markWebhookEventFailed(t.db, failed.id, clock, "stripe timed out");
    expect((await replayWebhookEvents(deps(), { id: failed.id })).replayed).toHaveLength(1);

    const processed = await stripe("evt_processed");
    await markWebhookEventProcessed(t.db, processed.id, clock);
    await expect(replayWebhookEvents(deps(), { id: processed.id })).rejects.toMatchObject({
      code: "webhook_event_not_replayable",
      message: expect.stringMatching(/is processed: a handler acted on it, and a replay would act twice/),
    });
    const inFlight = await stripe("evt_in_flight");
    await expect(replayWebhookEvents(deps(), { id: inFlight.id })).rejects.toMatchObject({ code: "webhook_event_not_replayable" });
    expect(await outboxKeys()).toEqual(["stripe:evt_failed", "stripe:evt_failed:replay:1", "stripe:evt_in_flight", "stripe:evt_processed"]);
  });

  it("refuses an unknown id and an event whose type has no task", async () => {
    await expect(replayWebhookEvents(deps(), { id: "00000000-0000-4000-8000-000000000000" })).rejects.toMatchObject({
      code: "webhook_event_not_found",
      message: "no webhook event with id 00000000-0000-4000-8000-000000000000",
    });
    await expect(replayWebhookEvents(deps(), { id: "evt_nowhere", provider: "stripe" })).rejects.toMatchObject({
      code: "webhook_event_not_found",
      message: "no stripe webhook event with provider event id evt_nowhere",
    });
    const unrouted = await stripe("evt_invoice", "invoice.created");
    await expect(replayWebhookEvents(deps(), { id: unrouted.id })).rejects.toMatchObject({
      code: "webhook_event_unrouted",
      message: `webhook event ${unrouted.id} (stripe invoice.created) cannot be replayed: no task handles invoice.created`,
    });
  });
});

describe("replayWebhookEvents by type and since", () => {
  it("replays each matching unhandled event once, batch by batch, and counts what it left alone", async () => {
    clock.set("2026-11-30T23:59:59Z");
    await storeAndAcknowledge("evt_before");
    clock.set("2026-12-01T00:00:00Z");
    const a = await storeAndAcknowledge("evt_a");
    clock.advance(1_000);
    const b = await storeAndAcknowledge("evt_b");
    clock.advance(1_000);
    const c = await storeAndAcknowledge("evt_c");
    await storeAndAcknowledge("evt_other_type", "charge.refunded");
    const done = await stripe("evt_done");
    await markWebhookEventProcessed(t.db, done.id, clock);
    await stripe("evt_running");

    const result = await replayWebhookEvents(deps(), { type: "payment_intent.succeeded", since: "2026-12-01", batchSize: 2 });
    // Oldest first, across batches of two.
    expect(result.replayed.map((r) => [r.webhookEventId, r.replay])).toEqual([
      [a.id, 1],
      [b.id, 1],
      [c.id, 1],
    ]);
    expect(result.skipped).toEqual({ processed: 1, received: 1 });
    for (const e of [a, b, c]) expect(await loadWebhookEvent(t.db, e.id)).toMatchObject({ status: "received", replays: 1 });

    const again = await replayWebhookEvents(deps(), { type: "payment_intent.succeeded", since: "2026-12-01T01:00+01:00", provider: "stripe" });
    expect(again).toEqual({ replayed: [], skipped: { processed: 1, received: 4 } });
  });

  it("of two concurrent replays over the same events, each event gets one new run", async () => {
    const ids = [];
    for (let i = 0; i < 6; i++) ids.push((await storeAndAcknowledge(`evt_c${i}`)).id);
    const filter = { type: "payment_intent.succeeded", since: "2026-12-01", batchSize: 2 };
    const [x, y] = await racing(ids, 2, () => [replayWebhookEvents(deps(), filter), replayWebhookEvents(deps(), filter)]);
    if (x!.status !== "fulfilled" || y!.status !== "fulfilled") throw new Error("a replay by type failed");
    const replayed = [...x!.value.replayed, ...y!.value.replayed].map((r) => r.webhookEventId).sort();
    expect(replayed).toEqual([...ids].sort());
    expect((await outboxKeys()).filter((k) => k.includes(":replay:"))).toHaveLength(6);
  });

  it("replays Supabase events by table:TYPE", async () => {
    const inbox = createWebhookInbox(t.db, clock);
    const recorded = await recordSupabaseEvent(inbox, buildSampleSupabasePayload("customers:INSERT", { clock }));
    await acknowledgeSupabaseEvent(deps(), { webhookEventId: recorded.id });
    const result = await replayWebhookEvents(deps(), { type: "customers:INSERT", since: "2026-12-02", provider: "supabase" });
    expect(result.replayed).toMatchObject([{ webhookEventId: recorded.id, taskId: "supabase-customers-insert", idempotencyKey: `supabase:${recorded.providerEventId}:replay:1` }]);
  });

  it("refuses a type no task handles", async () => {
    await expect(replayWebhookEvents(deps(), { type: "invoice.created", since: "2026-12-01" })).rejects.toMatchObject({
      code: "webhook_event_unrouted",
      message: expect.stringMatching(/^no task handles stripe or supabase events of type invoice\.created, so they cannot be replayed; routed types: payment_intent\.succeeded, /),
    });
    await expect(replayWebhookEvents(deps(), { type: "customers:INSERT", since: "2026-12-01", provider: "stripe" })).rejects.toMatchObject({
      code: "webhook_event_unrouted",
    });
  });
});

describe("replay filters", () => {
  const cases: Array<[ReplayWebhookEventsInput, RegExp]> = [
    [{}, /^nothing to replay: give an event id, or a type with since/],
    [{ id: "evt_1", type: "payment_intent.succeeded" }, /^give an event id, or a type with since, not both$/],
    [{ type: "payment_intent.succeeded" }, /^a type needs since as well/],
    [{ since: "2026-12-01" }, /^since needs a type as well/],
    [{ id: "evt_1", provider: "paypal" }, /^unknown provider "paypal": use stripe or supabase$/],
    ...["yesterday", "1", "2026-13-01", "2026-02-30", "2026-12-01T09:00", "2026-12-01 09:00Z"].map((since): [ReplayWebhookEventsInput, RegExp] => [
      { type: "payment_intent.succeeded", since },
      new RegExp(`^since "${since}" is not a date: use YYYY-MM-DD \\(midnight UTC\\) or an ISO time with a zone`),
    ]),
  ];
  it.each(cases)("refuses %j", async (input, message) => {
    await expect(replayWebhookEvents(deps(), input)).rejects.toMatchObject({ code: "invalid_replay_filter", message: expect.stringMatching(message) });
  });
});
