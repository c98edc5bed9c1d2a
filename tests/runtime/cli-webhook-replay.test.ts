import { describe, expect, it } from "vitest";
import { silentLogger, systemClock } from "@paycron/core";
import { useTestDb } from "@paycron/db/testing";
import { createWebhookInbox, recordStripeEvent } from "@paycron/inbox";
import { runUntilIdle } from "@paycron/local-engine/testing";
import { paycron as runPaycron } from "../support/paycron-cli.ts";

const t = useTestDb();
const paycron = (args: string[]) => runPaycron(t.url, args);

// The CLI enqueues by the wall clock, so the drain must read the same clock to find its rows due.
const drain = () => runUntilIdle({ db: t.db, connectionString: t.url, clock: systemClock, logger: silentLogger() });

describe("pnpm paycron webhook replay", () => {
  it("replays by id and by --type/--since, and the local engine runs the new runs", async () => {
    const since = new Date(Date.now() - 60_000).toISOString();
    const inbox = createWebhookInbox(t.db, systemClock);
    const a = await recordStripeEvent(inbox, { id: "evt_cli_a", type: "customer.updated", object: "event" });
    const b = await recordStripeEvent(inbox, { id: "evt_cli_b", type: "customer.updated", object: "event" });
    await recordStripeEvent(inbox, { id: "evt_cli_c", type: "payment_intent.succeeded", object: "event" });
    await drain();

    const byId = await paycron(["webhook", "replay", "evt_cli_a"]);
    expect(byId.stderr).toBe("");
    expect(byId.code).toBe(0);
    const first = await t.db.selectFrom("task_outbox").select("id").where("idempotency_key", "=", "stripe:evt_cli_a:replay:1").executeTakeFirstOrThrow();
    expect(byId.stdout).toBe(
      `${a.id}  stripe evt_cli_a  customer.updated  → stripe-customer-updated  outbox ${first.id}  (replay 1)\nreplayed 1 event\n`,
    );
    await drain();

    const byType = await paycron(["webhook", "replay", "--type", "customer.updated", "--since", since]);
    expect(byType.code).toBe(0);
    const lines = byType.stdout.trim().split("\n");
    expect(lines).toHaveLength(3);
    // Oldest first; a and b may share a millisecond, so their order is not asserted.
    expect(lines.slice(0, 2)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^${a.id}  stripe evt_cli_a  customer\\.updated  → stripe-customer-updated  outbox \\S+  \\(replay 2\\)$`)),
        expect.stringMatching(new RegExp(`^${b.id}  stripe evt_cli_b  customer\\.updated  → stripe-customer-updated  outbox \\S+  \\(replay 1\\)$`)),
      ]),
    );
    expect(lines[2]).toBe("replayed 2 events");
    await drain();

    const runs = await t.db.selectFrom("task_runs").select(["idempotency_key", "status"]).orderBy("idempotency_key").execute();
    expect(runs).toEqual([
      { idempotency_key: "stripe:evt_cli_a", status: "completed" },
      { idempotency_key: "stripe:evt_cli_a:replay:1", status: "completed" },
      { idempotency_key: "stripe:evt_cli_a:replay:2", status: "completed" },
      { idempotency_key: "stripe:evt_cli_b", status: "completed" },
      { idempotency_key: "stripe:evt_cli_b:replay:1", status: "completed" },
      { idempotency_key: "stripe:evt_cli_c", status: "completed" },
    ]);
    const events = await t.db.selectFrom("webhook_events").select(["provider_event_id", "status", "replays"]).orderBy("provider_event_id").execute();
    expect(events).toEqual([
      { provider_event_id: "evt_cli_a", status: "unhandled", replays: 2 },
      { provider_event_id: "evt_cli_b", status: "unhandled", replays: 1 },
      // Its handler found no PaymentIntent in it: final, and not replayable.
      { provider_event_id: "evt_cli_c", status: "ignored", replays: 0 },
    ]);

    const none = await paycron(["webhook", "replay", "--type", "customer.updated", "--since", "2099-01-01"]);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe("nothing to replay: no unhandled or failed customer.updated events since 2099-01-01\n");
  }, 120_000);

  it("refuses an unknown id, a bad --since, an unrouted type and no filter, and says why", async () => {
    const outboxRows = () => t.db.selectFrom("task_outbox").select("id").execute();
    const before = await outboxRows();
    const [unknown, badSince, unrouted, nothing] = await Promise.all([
      paycron(["webhook", "replay", "evt_missing"]),
      paycron(["webhook", "replay", "--type", "payment_intent.succeeded", "--since", "last tuesday"]),
      paycron(["webhook", "replay", "--type", "invoice.created", "--since", "2026-12-01", "--provider", "stripe"]),
      paycron(["webhook", "replay"]),
    ]);
    expect([unknown.code, badSince.code, unrouted.code, nothing.code]).toEqual([1, 1, 1, 1]);
    expect(unknown.stderr).toContain("paycron: no webhook event with provider event id evt_missing\n");
    expect(badSince.stderr).toContain('paycron: since "last tuesday" is not a date: use YYYY-MM-DD (midnight UTC)');
    expect(unrouted.stderr).toContain("paycron: no task handles stripe events of type invoice.created, so they cannot be replayed; routed types: payment_intent.succeeded,");
    expect(nothing.stderr).toContain("paycron: nothing to replay: give an event id, or a type with since");
    expect(await outboxRows()).toEqual(before);
  }, 120_000);
});
