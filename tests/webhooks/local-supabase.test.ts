import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "@paycron/core";
import { useTestDb, createCustomer, createSubscription, waitFor } from "@paycron/db/testing";
import { supabaseWebhookPayload } from "@paycron/inbox";
import { installLocalSupabaseTriggers, startLocalSupabaseWebhooks, startWebhookServer, type LocalSupabaseWebhooks, type WebhookServer } from "@paycron/webhooks";
import { SUPABASE_SECRET, testConfig } from "./helpers.ts";

const t = useTestDb();
let server: WebhookServer;
let relay: LocalSupabaseWebhooks;

const storedOfType = (type: string) =>
  t.db.selectFrom("webhook_events").selectAll().where("provider", "=", "supabase").where("type", "=", type).execute();
/** The stored events of `type`, once the relay has delivered at least one. */
const delivered = (type: string) => waitFor(async () => {
  const rows = await storedOfType(type);
  return rows.length > 0 && rows;
}, `a ${type} delivery`, 5_000);

beforeAll(async () => {
  server = await startWebhookServer({ db: t.db, config: testConfig(), logger: silentLogger(), port: 0, hostname: "127.0.0.1" });
  relay = await startLocalSupabaseWebhooks({ db: t.db, url: `${server.url}/webhooks/supabase`, secret: SUPABASE_SECRET, logger: silentLogger(), connectionString: t.url });
});
afterAll(async () => {
  await relay?.stop();
  await server?.close();
});

describe("local Supabase webhooks (pnpm dev)", () => {
  it("installs idempotently, for exactly the routed table:TYPE pairs", async () => {
    expect(relay.installed.sort()).toEqual(["customers:INSERT", "invoices:UPDATE", "subscriptions:UPDATE", "usage_events:INSERT"]);
    expect((await installLocalSupabaseTriggers(t.db)).sort()).toEqual(relay.installed.sort());
  });

  it("delivers a Supabase-shaped payload when a customer is inserted and a subscription updated, routed to their tasks", async () => {
    const customer = await createCustomer(t.db);
    const [inserted] = await delivered("customers:INSERT");
    const payload = supabaseWebhookPayload.parse(inserted!.payload);
    expect(payload).toMatchObject({ type: "INSERT", table: "customers", schema: "public", old_record: null, record: { id: customer.id, email: customer.email } });

    const subscription = await createSubscription(t.db, { customer_id: customer.id, organization_id: customer.organization_id });
    await t.db.updateTable("subscriptions").set({ status: "past_due" }).where("id", "=", subscription.id).execute();
    const [updated] = await delivered("subscriptions:UPDATE");
    expect(updated!.payload).toMatchObject({ type: "UPDATE", record: { id: subscription.id, status: "past_due" }, old_record: { status: "active" } });

    const tasks = await t.db.selectFrom("task_outbox").select("task_id").execute();
    expect(tasks.map((r) => r.task_id).sort()).toEqual(["supabase-customers-insert", "supabase-subscriptions-update"]);
  });

  it("does not fire for changes it does not route", async () => {
    const customer = await createCustomer(t.db);
    await t.db.updateTable("customers").set({ name: "Renamed" }).where("id", "=", customer.id).execute();
    await relay.flush();
    expect(await storedOfType("customers:UPDATE")).toEqual([]);
  });

  it("keeps a change while the endpoint is down and delivers it once it is back (at least once)", async () => {
    const port = Number(new URL(server.url).port);
    await server.close();
    const customer = await createCustomer(t.db);
    await relay.flush();
    const forCustomer = async () =>
      (await storedOfType("customers:INSERT")).filter((r) => (r.payload as { record: { id: string } }).record.id === customer.id);
    expect(await forCustomer()).toEqual([]);

    server = await startWebhookServer({ db: t.db, config: testConfig(), logger: silentLogger(), port, hostname: "127.0.0.1" });
    await relay.flush();
    expect(await forCustomer()).toHaveLength(1);
  });
});
