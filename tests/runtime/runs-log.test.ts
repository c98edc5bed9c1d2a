import { beforeEach, describe, expect, it } from "vitest";
import { silentLogger, systemClock, TestClock } from "@paycron/core";
import { withTransaction } from "@paycron/db";
import { useTestDb } from "@paycron/db/testing";
import { createWebhookInbox, recordStripeEvent } from "@paycron/inbox";
import { enqueueUnchecked } from "@paycron/runtime";
import { listRuns, listRunsPage, ROUTINE_TASKS, showRun } from "@paycron/local-engine";
import { runUntilIdle } from "@paycron/local-engine/testing";
import { FIXTURES_DIR } from "../support/task-fixtures.ts";

const t = useTestDb();
const logger = silentLogger();
beforeEach(async () => {
  await t.db.deleteFrom("task_runs").execute();
  await t.db.deleteFrom("task_outbox").execute();
});

/** Fixture tasks, or with `production` the tasks of trigger/ (outbox-sweep, the webhook tasks). */
const drain = (options: { production?: boolean } = {}) =>
  runUntilIdle({ db: t.db, connectionString: t.url, clock: systemClock, logger, tasksDir: options.production ? undefined : FIXTURES_DIR });
const enqueue = (task: string, payload: unknown, options: { key?: string; delay?: string; ttl?: string; clock?: TestClock } = {}) =>
  withTransaction(t.db, (tx) =>
    enqueueUnchecked(tx, task, payload, { idempotencyKey: options.key, delay: options.delay, idempotencyKeyTTL: options.ttl, clock: options.clock ?? systemClock }),
  );
const runOf = (outboxId: string) => t.db.selectFrom("task_runs").selectAll().where("outbox_id", "=", outboxId).executeTakeFirstOrThrow();
const sweepPayload = () => ({ type: "DECLARATIVE", timestamp: systemClock.now(), timezone: "UTC", scheduleId: "sched_local_outbox-sweep", upcoming: [] });

describe("listRuns", () => {
  it("lists runs newest first, leaves out routine tasks unless named, and shows rows not dispatched yet as delayed or queued", async () => {
    const echo = await enqueue("echo", { value: "listed" });
    await drain();
    const sweep = await enqueue("outbox-sweep", sweepPayload());
    await drain({ production: true });
    const delayed = await enqueue("echo", { value: "later" }, { delay: "1h" });
    const deps = { db: t.db, clock: systemClock };

    const listed = await listRuns(deps, { limit: 10, excludeTasks: ROUTINE_TASKS });
    expect(listed.map((r) => [r.id, r.task_id, r.status, r.pending])).toEqual([
      [delayed.id, "echo", "delayed", true],
      [(await runOf(echo.id)).id, "echo", "completed", false],
    ]);
    expect(await runOf(sweep.id)).toMatchObject({ status: "completed" });
    expect((await listRuns(deps, { limit: 10 })).map((r) => r.task_id)).toEqual(["echo", "outbox-sweep", "echo"]);
    expect((await listRuns(deps, { limit: 10, taskId: "outbox-sweep", excludeTasks: ROUTINE_TASKS })).map((r) => r.id)).toEqual([(await runOf(sweep.id)).id]);
    expect((await listRuns(deps, { limit: 10, status: "delayed" })).map((r) => r.id)).toEqual([delayed.id]);
    expect((await listRuns(deps, { limit: 10, status: "completed", excludeTasks: ROUTINE_TASKS })).map((r) => r.status)).toEqual(["completed"]);
    expect(await listRuns(deps, { limit: 1 })).toHaveLength(1);
    // An hour later by the caller's clock, the same row is due: queued, waiting for a dispatcher.
    const later = new TestClock(systemClock.now().getTime() + 2 * 3_600_000);
    expect((await listRuns({ db: t.db, clock: later }, { limit: 1 }))[0]).toMatchObject({ id: delayed.id, status: "queued", pending: true });
  });
});

describe("listRunsPage", () => {
  it("pages by cursor without skipping or repeating runs created in the same transaction, dispatched or not", async () => {
    // One transaction: every row shares its created_at, so only the id orders them.
    const enqueued = await withTransaction(t.db, async (tx) => {
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) ids.push((await enqueueUnchecked(tx, "echo", { value: `page-${i}` }, { clock: systemClock })).id);
      return ids;
    });
    await drain();
    await enqueue("echo", { value: "page-late" }, { delay: "1h" });
    const deps = { db: t.db, clock: systemClock };
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await listRunsPage(deps, { limit: 3, after });
      seen.push(...page.runs.map((r) => r.id));
      after = page.next ?? undefined;
      pages++;
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(8);
    expect(new Set(seen).size).toBe(8);
    expect(seen).toEqual((await listRuns(deps, { limit: 100 })).map((r) => r.id));
    expect(enqueued).toHaveLength(7);
  });

  it("filters by time range, idempotency key prefix and payload text", async () => {
    const clock = new TestClock(systemClock.now());
    await enqueue("echo", { value: "Needle in a haystack" }, { key: "order-1001" });
    await enqueue("echo", { value: "hay" }, { key: "order-2002" });
    await enqueue("echo", { value: "100%_literal" }, { key: "other-1" });
    await drain();
    const deps = { db: t.db, clock };
    const ids = async (filter: Parameters<typeof listRunsPage>[1]) => (await listRunsPage(deps, filter)).runs.map((r) => (r.payload as { value: string }).value);
    expect(await ids({ limit: 10, idempotencyKeyPrefix: "order-" })).toEqual(expect.arrayContaining(["Needle in a haystack", "hay"]));
    expect(await ids({ limit: 10, idempotencyKeyPrefix: "order-" })).toHaveLength(2);
    expect(await ids({ limit: 10, payloadText: "needle" })).toEqual(["Needle in a haystack"]);
    // % and _ are literal characters, not patterns.
    expect(await ids({ limit: 10, payloadText: "0%_l" })).toEqual(["100%_literal"]);
    expect(await ids({ limit: 10, payloadText: "%" })).toEqual(["100%_literal"]);
    expect(await ids({ limit: 10, since: new Date(clock.now().getTime() + 60_000) })).toEqual([]);
    expect(await ids({ limit: 10, until: new Date(clock.now().getTime() - 60_000) })).toEqual([]);
    await expect(listRunsPage(deps, { limit: 10, after: "not-a-cursor" })).rejects.toThrow("this page link is malformed");
  });
});

describe("showRun", () => {
  it("shows a webhook task's event, by the payload's webhookEventId", async () => {
    const recorded = await recordStripeEvent(createWebhookInbox(t.db, systemClock), { id: "evt_show_1", type: "payment_intent.succeeded", object: "event" });
    await drain({ production: true });
    const run = await t.db.selectFrom("task_runs").select("id").where("task_id", "=", "stripe-payment-intent-succeeded").executeTakeFirstOrThrow();
    const detail = await showRun({ db: t.db, clock: systemClock }, run.id);
    expect(detail).toMatchObject({
      run: { task_id: "stripe-payment-intent-succeeded", status: "completed", payload: { webhookEventId: recorded.id } },
      idempotency: { key: "stripe:evt_show_1", state: "held" },
      webhook_event: { id: recorded.id, provider: "stripe", provider_event_id: "evt_show_1", type: "payment_intent.succeeded", status: "ignored", error: expect.stringContaining("carries no PaymentIntent") },
    });
  });

  it("shows a run's parent and children, and a run by the outbox id it came from", async () => {
    const parent = await enqueue("nested-spawn-child", { value: "from-parent" });
    await drain();
    const parentRun = await runOf(parent.id);
    const child = await t.db.selectFrom("task_runs").selectAll().where("parent_run_id", "=", parentRun.id).executeTakeFirstOrThrow();
    const shownParent = await showRun({ db: t.db, clock: systemClock }, parent.id);
    expect(shownParent).toMatchObject({ run: { id: parentRun.id }, parent: null, children: [{ id: child.id, task_id: "echo", status: "completed", pending: false }] });
    expect(await showRun({ db: t.db, clock: systemClock }, child.id)).toMatchObject({ parent: { id: parentRun.id, task_id: "nested-spawn-child" }, children: [] });
  });

  it("says whether the run's idempotency key is held, released by a failure, or expired", async () => {
    const clock = new TestClock(systemClock.now());
    const ok = await enqueue("echo", { value: "k" }, { key: "held-key", ttl: "1h", clock });
    const failed = await enqueue("abort", {}, { key: "failed-key", clock });
    await drain();
    const deps = { db: t.db, clock };
    expect((await showRun(deps, ok.id))!.idempotency).toMatchObject({ key: "held-key", state: "held" });
    expect((await showRun(deps, failed.id))!.idempotency).toMatchObject({ key: "failed-key", state: "released" });
    clock.advance(2 * 3_600_000);
    expect((await showRun(deps, ok.id))!.idempotency).toMatchObject({ key: "held-key", state: "expired" });
  });

  it("shows a row not dispatched yet, and nothing for an unknown id", async () => {
    const clock = new TestClock("2026-12-10T09:00:00Z");
    const delayed = await enqueue("echo", { value: "soon" }, { delay: "10m", clock });
    expect(await showRun({ db: t.db, clock }, delayed.id)).toMatchObject({
      run: { id: delayed.id, pending: true, status: "delayed", run_at: new Date("2026-12-10T09:10:00Z"), payload: { value: "soon" } },
      children: [],
      replays: [],
    });
    expect(await showRun({ db: t.db, clock }, "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f")).toBeUndefined();
  });
});
