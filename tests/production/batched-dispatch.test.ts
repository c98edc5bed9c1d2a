import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger, silentLogger, systemClock, TestClock, type Clock } from "@paycron/core";
import { withTransaction } from "@paycron/db";
import { useTestDb } from "@paycron/db/testing";
import { dispatchDue, enqueueMany, startDispatcher, triggerEngine, type TriggerLimits } from "@paycron/runtime";
import { startTriggerApiStandIn, TRIGGER_PLATFORM_LIMITS, type TriggerApiStandIn } from "../support/trigger-api-stand-in.ts";

/*
 * The outbox dispatcher against a loopback stand-in of the Trigger.dev API that keeps the
 * platform's limits: batches of at most 1,000 items, a token bucket of batch runs, 429 with
 * retry-after. Rows must reach the platform exactly once whatever the API answers.
 */
const t = useTestDb();
const KEY = "tr_prod_standin";
let api: TriggerApiStandIn | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

let prefix = "";
beforeEach(() => {
  prefix = `batched-${randomUUID().slice(0, 8)}-`;
});

async function enqueueBillingRuns(clock: Clock, count: number, options: { delayedEvery?: number } = {}) {
  const items = Array.from({ length: count }, (_, i) => ({
    taskId: "billing-run" as const,
    payload: { billingRunId: randomUUID() },
    options: {
      idempotencyKey: `${prefix}${i}`,
      concurrencyKey: `sub_${i % 7}`,
      ...(options.delayedEvery && i % options.delayedEvery === 0 ? { delay: "2h" } : {}),
    },
  }));
  await withTransaction(t.db, (tx) => enqueueMany(tx, clock, items));
  return items;
}

const outboxRows = () => t.db.selectFrom("task_outbox").selectAll().where("idempotency_key", "like", `${prefix}%`).execute();
const runIds = (stand: TriggerApiStandIn) => stand.triggers.map((tr) => tr.runId);

function deps(clock: Clock, stand: TriggerApiStandIn, limits: Partial<TriggerLimits> = {}) {
  return { db: t.db, clock, logger: silentLogger(), engine: triggerEngine({ secretKey: KEY, baseURL: stand.url, limits }) };
}

/**
 * Dispatches until every row of this test is sent, waiting out each hold of the limits: a pause
 * of the dispatcher, or the lease a 429 left on the rows (in real time, which a loaded machine
 * stretches: so it waits for the rows, not for a number of passes).
 */
async function drain(d: ReturnType<typeof deps>): Promise<number> {
  let dispatched = 0;
  for (;;) {
    const r = await dispatchDue(d);
    dispatched += r.dispatched;
    if (r.failed > 0) throw new Error(`${r.failed} rows failed to dispatch: ${(await outboxRows()).find((row) => row.last_error)?.last_error}`);
    if (r.dispatched > 0) continue;
    const held = (await outboxRows()).filter((row) => row.dispatched_at === null && row.available_at <= new Date());
    if (held.length === 0) return dispatched;
    const leaseEnds = Math.min(...held.map((row) => row.lease_until?.getTime() ?? 0)) - Date.now();
    await new Promise((resolve) => setTimeout(resolve, Math.max(r.throttledMs ?? 0, leaseEnds, 10)));
  }
}

describe("batched dispatch to Trigger.dev", () => {
  it("sends 2,500 rows as three batches of at most 1,000, each item with its own key, delay and concurrency key", async () => {
    api = await startTriggerApiStandIn();
    const clock = new TestClock("2026-06-01T10:00:00Z");
    const items = await enqueueBillingRuns(clock, 2_500, { delayedEvery: 10 });

    const d = deps(clock, api);
    let total = 0;
    for (let pass = 0; pass < 5; pass++) total += (await dispatchDue(d)).dispatched;
    expect(total).toBe(2_500);

    expect(api.batches.map((b) => b.runCount)).toEqual([1_000, 1_000, 500]);
    expect(api.requests.filter((r) => r.path === "/api/v3/batches")).toHaveLength(3);
    expect(api.requests.some((r) => r.path.endsWith("/trigger"))).toBe(false);
    expect(new Set(runIds(api)).size).toBe(2_500);

    const byKey = new Map(api.triggers.map((tr) => [(tr.payload as { billingRunId: string }).billingRunId, tr]));
    for (const [i, item] of items.entries()) {
      const sent = byKey.get(item.payload.billingRunId)!;
      expect(sent.taskId).toBe("billing-run");
      expect(sent.options).toMatchObject({ concurrencyKey: `sub_${i % 7}` });
      expect(sent.options.idempotencyKey).toMatch(/^[0-9a-f]{64}$/);
      expect(sent.options.delay).toEqual(i % 10 === 0 ? "2026-06-01T12:00:00.000Z" : undefined);
    }
    // Each key is hashed on its own, in global scope (the same key from a task or a dispatcher is one run).
    expect(new Set(api.triggers.map((tr) => tr.options.idempotencyKey)).size).toBe(2_500);

    const rows = await outboxRows();
    expect(rows.every((r) => r.dispatched_at !== null && r.engine_batch_id?.startsWith("batch_standin_") && r.lease_until === null)).toBe(true);
    expect(await dispatchDue(d)).toEqual({ dispatched: 0, failed: 0 });
    expect(api.triggers).toHaveLength(2_500);
  });

  it("a batch cut off mid-stream is sent again whole, and the platform's per-item keys keep every run single", async () => {
    api = await startTriggerApiStandIn();
    const clock = new TestClock("2026-06-01T10:00:00Z");
    await enqueueBillingRuns(clock, 800);
    const d = deps(clock, api);

    api.faults.cutNextStreamAfter(300);
    const first = await dispatchDue(d);
    expect(first).toMatchObject({ dispatched: 0, failed: 800 });
    expect(api.triggers).toHaveLength(300);
    const failed = await outboxRows();
    expect(failed.every((r) => r.dispatched_at === null && r.attempts === 1 && /stream items/.test(r.last_error ?? ""))).toBe(true);

    // Backed off (1 s after the first failure), then retried as a new batch.
    expect(await dispatchDue(d)).toMatchObject({ dispatched: 0 });
    clock.advance(1_000);
    expect(await dispatchDue(d)).toMatchObject({ dispatched: 800, failed: 0 });
    expect(api.batches[1]).toMatchObject({ runCount: 800, itemsAccepted: 500, itemsDeduplicated: 300, sealed: true });
    expect(api.triggers).toHaveLength(800);
    expect(new Set(runIds(api)).size).toBe(800);
  });

  it("a dispatcher that dies after the platform accepted its batch, before marking the rows, leaves no run twice: the next pass resends and the keys absorb it", async () => {
    api = await startTriggerApiStandIn();
    const clock = new TestClock("2026-06-01T10:00:00Z");
    await enqueueBillingRuns(clock, 40);
    const d = deps(clock, api);
    // The crash: the claim committed and the batch reached the platform, the marking never ran.
    const rows = await outboxRows();
    await t.db.updateTable("task_outbox").set({ lease_until: new Date(clock.now().getTime() + 30_000) }).where("id", "in", rows.map((r) => r.id)).execute();
    await d.engine.dispatch(
      rows.map((r) => ({ outboxId: r.id, taskId: r.task_id, payload: r.payload, idempotencyKey: r.idempotency_key, idempotencyExpiresAt: r.idempotency_expires_at, concurrencyKey: r.concurrency_key, availableAt: r.available_at, parentRunId: r.parent_run_id })),
      clock.now(),
    );
    expect(api.triggers).toHaveLength(40);

    // Nothing is sent while the dead dispatcher's claim holds; after it lapses the rows go again.
    expect(await dispatchDue(d)).toEqual({ dispatched: 0, failed: 0 });
    clock.advance(30_000);
    expect(await dispatchDue(d)).toEqual({ dispatched: 40, failed: 0 });
    expect(api.batches[1]).toMatchObject({ runCount: 40, itemsAccepted: 0, itemsDeduplicated: 40 });
    expect(api.triggers).toHaveLength(40);
    expect((await outboxRows()).every((r) => r.dispatched_at !== null)).toBe(true);
  });

  it("a 429 holds the rows back until the platform's reset: not lost, not counted as a failed attempt, not sent twice", async () => {
    api = await startTriggerApiStandIn();
    const clock = systemClock;
    await enqueueBillingRuns(clock, 50);
    const d = deps(clock, api);

    api.faults.rateLimitNext(1, 1_500);
    const limited = await dispatchDue(d);
    expect(limited.dispatched).toBe(0);
    expect(limited.failed).toBe(0);
    expect(limited.throttledMs).toBeGreaterThan(1_000);
    const held = await outboxRows();
    expect(held.every((r) => r.dispatched_at === null && r.attempts === 0 && /rate limited/.test(r.last_error ?? ""))).toBe(true);
    expect(Math.min(...held.map((r) => r.lease_until!.getTime()))).toBeGreaterThan(clock.now().getTime() + 500);

    // Paused: no request reaches the API until the reset, however often the dispatcher is woken.
    const requestsBefore = api.requests.length;
    for (let i = 0; i < 5; i++) expect((await dispatchDue(d)).throttledMs).toBeGreaterThan(0);
    expect(api.requests.length).toBe(requestsBefore);

    expect(await drain(d)).toBe(50);
    expect(api.triggers).toHaveLength(50);
  });

  it("paces itself to the platform's batch bucket: a dispatcher with the same limits gets no 429, and its log shows its backlog and rate", async () => {
    const limits = { batchBurst: 400, batchRefillRuns: 200, batchRefillEveryMs: 500 };
    api = await startTriggerApiStandIn({ limits });
    const clock = systemClock;
    await enqueueBillingRuns(clock, 1_200);
    const lines: Array<Record<string, unknown>> = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const logger = createLogger({ name: "dispatch-test", destination });
    const dispatcher = startDispatcher({ ...deps(clock, api, limits), logger, connectionString: t.url, pollIntervalMs: 50, progressLogEveryMs: 0 });
    try {
      while ((await outboxRows()).some((r) => r.dispatched_at === null)) await new Promise((r) => setTimeout(r, 50));
    } finally {
      await dispatcher.stop();
    }
    expect(api.requests.filter((r) => r.status === 429)).toEqual([]);
    expect(Math.max(...api.batches.map((b) => b.runCount))).toBeLessThanOrEqual(400);
    expect(api.triggers).toHaveLength(1_200);
    expect(new Set(runIds(api)).size).toBe(1_200);
    const progress = lines.filter((l) => l.msg === "outbox dispatch");
    expect(progress.length).toBeGreaterThan(0);
    expect(progress[0]).toMatchObject({ dispatched: expect.any(Number), perSecond: expect.any(Number), backlog: expect.any(Number), rateScale: 1 });
  });

  it("a dispatcher that finds the shared bucket drained by others slows down on the 429s and still sends every row once", async () => {
    // The platform's bucket is smaller than this dispatcher believes (other dispatchers share it).
    api = await startTriggerApiStandIn({ limits: { batchBurst: 300, batchRefillRuns: 150, batchRefillEveryMs: 500 } });
    const clock = systemClock;
    await enqueueBillingRuns(clock, 900);
    const d = deps(clock, api, { batchBurst: 5_000, batchRefillRuns: 500, batchRefillEveryMs: 500 });
    expect(await drain(d)).toBe(900);
    const limited = api.requests.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    // After each 429 the dispatcher waited for the reset: never two 429s in a row without a success between.
    const statuses = api.requests.filter((r) => r.path === "/api/v3/batches").map((r) => r.status);
    expect(statuses.join(",")).not.toMatch(/429,429/);
    expect(api.triggers).toHaveLength(900);
    expect(new Set(runIds(api)).size).toBe(900);
    expect(d.engine.rateScale()).toBeLessThan(1);
    const rows = await outboxRows();
    expect(rows.every((r) => r.dispatched_at !== null && r.attempts === 1)).toBe(true);
  });

  it("a run's own follow-ups go together in one batch; a lone follow-up as a single trigger with its run id", async () => {
    api = await startTriggerApiStandIn();
    const clock = new TestClock("2026-06-01T10:00:00Z");
    await enqueueBillingRuns(clock, 30);
    const rows = await outboxRows();
    const d = deps(clock, api);
    // What runTask does after a run's transaction commits: dispatch exactly the rows it created.
    expect(await dispatchDue(d, { ids: rows.slice(0, 20).map((r) => r.id) })).toEqual({ dispatched: 20, failed: 0 });
    expect(api.batches.map((b) => b.runCount)).toEqual([20]);
    expect(await dispatchDue(d, { ids: [rows[20]!.id] })).toEqual({ dispatched: 1, failed: 0 });
    expect(api.requests.filter((r) => r.path.endsWith("/trigger"))).toHaveLength(1);
    const after = new Map((await outboxRows()).map((r) => [r.id, r]));
    expect(after.get(rows[0]!.id)).toMatchObject({ engine_batch_id: api.batches[0]!.id, engine_run_id: null });
    expect(after.get(rows[20]!.id)).toMatchObject({ engine_batch_id: null, engine_run_id: api.triggers[20]!.runId });
    expect([...after.values()].filter((r) => r.dispatched_at === null)).toHaveLength(9);
  });

  it("refuses a batch over the platform's maximum before sending it", async () => {
    api = await startTriggerApiStandIn();
    const engine = triggerEngine({ secretKey: KEY, baseURL: api.url });
    await expect(engine.dispatch([], new Date())).rejects.toThrow(/1 to 1000 items, got 0/);
    expect(api.requests).toHaveLength(0);
    expect(TRIGGER_PLATFORM_LIMITS.maxBatchItems).toBe(engine.limits.maxBatchItems);
  });
});
