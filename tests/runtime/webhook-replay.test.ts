import { describe, expect, it } from "vitest";
import { silentLogger, TestClock } from "@paycron/core";
import { useTestDb } from "@paycron/db/testing";
import { createWebhookInbox, recordStripeEvent, replayWebhookEvents } from "@paycron/inbox";
import { runUntilIdle } from "@paycron/local-engine/testing";

const t = useTestDb();

/** Replays through the real task definitions in trigger/, run by the local engine. */
describe("replaying a webhook event", () => {
  it("runs its task once more per replay, even for concurrent replays, and it ends unhandled again", async () => {
    const clock = new TestClock("2026-12-02T10:00:00Z");
    const deps = { db: t.db, clock, logger: silentLogger() };
    const drain = () => runUntilIdle({ db: t.db, connectionString: t.url, clock });
    const runs = () => t.db.selectFrom("task_runs").select(["task_id", "status", "idempotency_key"]).orderBy("created_at").orderBy("idempotency_key").execute();
    const stored = () => t.db.selectFrom("webhook_events").select(["status", "attempts", "replays"]).executeTakeFirstOrThrow();

    const { id } = await recordStripeEvent(createWebhookInbox(t.db, clock), { id: "evt_e2e", type: "customer.updated", object: "event" });
    await drain();
    expect(await stored()).toEqual({ status: "unhandled", attempts: 1, replays: 0 });

    clock.advance(60_000);
    await Promise.allSettled([replayWebhookEvents(deps, { id }), replayWebhookEvents(deps, { id })]);
    await drain();
    expect(await runs()).toEqual([
      { task_id: "stripe-customer-updated", status: "completed", idempotency_key: "stripe:evt_e2e" },
      { task_id: "stripe-customer-updated", status: "completed", idempotency_key: "stripe:evt_e2e:replay:1" },
    ]);
    expect(await stored()).toEqual({ status: "unhandled", attempts: 2, replays: 1 });

    clock.advance(60_000);
    await replayWebhookEvents(deps, { type: "customer.updated", since: "2026-12-02" });
    await drain();
    expect((await runs()).map((r) => [r.idempotency_key, r.status])).toEqual([
      ["stripe:evt_e2e", "completed"],
      ["stripe:evt_e2e:replay:1", "completed"],
      ["stripe:evt_e2e:replay:2", "completed"],
    ]);
    expect(await stored()).toEqual({ status: "unhandled", attempts: 3, replays: 2 });
  });
});
