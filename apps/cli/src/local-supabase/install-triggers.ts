import { sql } from "kysely";
import type { Db } from "@paycron/db";
import { SUPABASE_EVENT_ROUTES } from "@paycron/inbox";

export const LOCAL_RELAY_CHANNEL = "paycron_local_supabase_webhooks";

/*
 * `pnpm dev` stands in for Supabase's database webhooks with triggers that build the same
 * payload Supabase's supabase_functions.http_request sends ({type, table, schema, record,
 * old_record}, rows through to_jsonb) and queue it in a relay table; the relay POSTs it.
 * This is dev tooling, not a migration: production installs Supabase's own webhooks
 * (docs/supabase-webhooks.md). Everything here is CREATE OR REPLACE / IF NOT EXISTS, so running
 * it on every start is safe; an advisory lock serialises two processes starting at once (concurrent
 * IF NOT EXISTS can still collide on the catalog's unique indexes). Only the row id goes through
 * NOTIFY (payloads are capped at 8000 bytes).
 */
export async function installLocalSupabaseTriggers(db: Db): Promise<string[]> {
  return db.transaction().execute((tx) => install(tx));
}

async function install(db: Db): Promise<string[]> {
  await sql`select pg_advisory_xact_lock(hashtext('paycron_local.install_triggers'))`.execute(db);
  await sql`create schema if not exists paycron_local`.execute(db);
  await sql`
    create table if not exists paycron_local.supabase_webhook_relay (
      id bigint generated always as identity primary key,
      payload jsonb not null,
      created_at timestamptz not null default now(),
      delivered_at timestamptz,
      attempts integer not null default 0,
      last_error text
    )`.execute(db);
  await sql`
    create index if not exists supabase_webhook_relay_pending
      on paycron_local.supabase_webhook_relay (id) where delivered_at is null`.execute(db);
  await sql`
    create or replace function paycron_local.queue_supabase_webhook() returns trigger
    language plpgsql as $$
    declare queued bigint;
    begin
      insert into paycron_local.supabase_webhook_relay (payload) values (jsonb_build_object(
        'type', tg_op,
        'table', tg_table_name,
        'schema', tg_table_schema,
        'record', case when tg_op = 'DELETE' then null else to_jsonb(new) end,
        'old_record', case when tg_op = 'INSERT' then null else to_jsonb(old) end
      )) returning id into queued;
      perform pg_notify(${sql.lit(LOCAL_RELAY_CHANNEL)}, queued::text);
      return null;
    end $$`.execute(db);

  const installed: string[] = [];
  for (const route of Object.keys(SUPABASE_EVENT_ROUTES)) {
    const [table, op] = route.split(":") as [string, string];
    const name = `paycron_local_webhook_${table}_${op.toLowerCase()}`;
    await sql`
      create or replace trigger ${sql.id(name)}
      after ${sql.raw(op)} on ${sql.id("public", table)}
      for each row execute function paycron_local.queue_supabase_webhook()`.execute(db);
    installed.push(route);
  }
  return installed;
}
