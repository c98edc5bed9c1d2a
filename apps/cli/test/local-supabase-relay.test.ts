import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "@paycron/core";
import { useTestDb, createCustomer, createSubscription, waitFor } from "@paycron/db/testing";
import { supabaseWebhookPayload } from "@paycron/inbox";
import { loadWebhookConfig, startWebhookServer, type WebhookServer } from "@paycron/webhooks";
import { installLocalSupabaseTriggers } from "../src/local-supabase/install-triggers.ts";
import { startLocalSupabaseWebhooks, type LocalSupabaseWebhooks } from "../src/local-supabase/relay.ts";

const t = useTestDb();
const SUPABASE_SECRET = "supabase-dev-relay-test-secret";
const testConfig = () => loadWebhookConfig({ STRIPE_WEBHOOK_SECRETS: "whsec_dev_relay_test_0123456789", SUPABASE_WEBHOOK_SECRET: SUPABASE_SECRET });
let server: WebhookServer;
let relay: LocalSupabaseWebhooks;

const storedOfType = (type: string) =>
  t.db.selectFrom("webhook_events").selectAll().where("provider", "=", "supabase").where("type", "=", type).execute();
/** The stored events of `type`, once the relay has delivered at least one. */
const delivered = (type: string) => waitFor(async () => {
  const rows = await storedOfType(type);
  return rows.length > 0 && rows;
}, `a ${type} delivery`, 5_000);
const forCustomer = async (id: string) =>
  (await storedOfType("customers:INSERT")).filter((r) => (r.payload as { record: { id: string } }).record.id === id);

/** The relay's LISTEN backend once its LISTEN has completed (not `notPid`, the one it had before). */
const relayListening = (notPid?: number) =>
  waitFor(async () => {
    const { rows } = await sql<{ pid: number }>`
      select pid from pg_stat_activity
      where application_name = 'paycron-local-supabase-relay' and datname = current_database() and state = 'idle' and query ilike 'listen %'`.execute(t.db);
    return rows.find((r) => r.pid !== notPid)?.pid;
  }, "the relay's LISTEN connection");

beforeAll(async () => {
  server = await startWebhookServer({ db: t.db, config: testConfig(), logger: silentLogger(), port: 0, hostname: "127.0.0.1" });
  // Polling effectively off: every delivery in this file comes from a NOTIFY or an explicit flush().
  relay = await startLocalSupabaseWebhooks({
    db: t.db,
    url: `${server.url}/webhooks/supabase`,
    secret: SUPABASE_SECRET,
    logger: silentLogger(),
    connectionString: t.url,
    pollIntervalMs: 600_000,
  });
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
    expect(await forCustomer(customer.id)).toEqual([]);

    server = await startWebhookServer({ db: t.db, config: testConfig(), logger: silentLogger(), port, hostname: "127.0.0.1" });
    await relay.flush();
    expect(await forCustomer(customer.id)).toHaveLength(1);
  });

  it("reopens its LISTEN connection when it drops, and delivers the next change without waiting for a poll", async () => {
    const before = await relayListening();
    await sql`select pg_terminate_backend(${before})`.execute(t.db);
    await relayListening(before);
    const customer = await createCustomer(t.db);
    await waitFor(async () => (await forCustomer(customer.id)).length === 1, "the delivery after the reconnect", 5_000);
  });
});
