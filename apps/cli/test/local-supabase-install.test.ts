import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { createDb } from "@paycron/db";
import { createCustomer, createSubscription, useTestDb } from "@paycron/db/testing";
import { installLocalSupabaseTriggers } from "../src/local-supabase/install-triggers.ts";

const t = useTestDb();

/** The dev triggers on public tables, with the oids a replacement would change. */
const devTriggers = async () => {
  const { rows } = await sql<{ name: string; table: string; oid: number; function_oid: number }>`
    select tg.tgname as name, c.relname as table, tg.oid::int as oid, tg.tgfoid::int as function_oid
    from pg_trigger tg join pg_class c on c.oid = tg.tgrelid join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and tg.tgname like 'paycron_local_webhook_%'
    order by tg.tgname`.execute(t.db);
  return rows;
};
const queued = async () => {
  const { rows } = await sql<{ payload: unknown }>`select payload from paycron_local.supabase_webhook_relay order by id`.execute(t.db);
  return rows.map((r) => r.payload);
};

describe("installing the dev Supabase triggers", () => {
  it("succeeds from several processes at once (no catalog collision) and installs one trigger per routed change", async () => {
    const handles = Array.from({ length: 6 }, () => createDb({ connectionString: t.url, max: 1 }));
    try {
      const results = await Promise.allSettled(handles.map((db) => installLocalSupabaseTriggers(db)));
      expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    } finally {
      await Promise.all(handles.map((db) => db.destroy()));
    }
    expect((await devTriggers()).map((r) => `${r.table}:${r.name}`)).toEqual([
      "customers:paycron_local_webhook_customers_insert",
      "invoices:paycron_local_webhook_invoices_update",
      "subscriptions:paycron_local_webhook_subscriptions_update",
      "usage_events:paycron_local_webhook_usage_events_insert",
    ]);
  });

  it("queues the change a routed insert or update makes, Supabase-shaped, and nothing for one it does not route", async () => {
    await installLocalSupabaseTriggers(t.db);
    const already = (await queued()).length;
    const customer = await createCustomer(t.db);
    const subscription = await createSubscription(t.db, { customer_id: customer.id, organization_id: customer.organization_id });
    await t.db.updateTable("subscriptions").set({ status: "past_due" }).where("id", "=", subscription.id).execute();
    await t.db.updateTable("customers").set({ name: "Renamed" }).where("id", "=", customer.id).execute();
    expect((await queued()).slice(already)).toMatchObject([
      { type: "INSERT", table: "customers", record: { id: customer.id }, old_record: null },
      { type: "UPDATE", table: "subscriptions", record: { id: subscription.id }, old_record: { status: "active" } },
    ]);
  });

  it("is a no-op the second time: same triggers and function, queued changes kept, one queued change per row change", async () => {
    await installLocalSupabaseTriggers(t.db);
    await createCustomer(t.db);
    const [triggers, pending] = [await devTriggers(), await queued()];
    await installLocalSupabaseTriggers(t.db);
    expect(await devTriggers()).toEqual(triggers);
    expect(await queued()).toEqual(pending);
    const customer = await createCustomer(t.db);
    expect((await queued()).slice(pending.length)).toMatchObject([{ type: "INSERT", record: { id: customer.id } }]);
  });
});
