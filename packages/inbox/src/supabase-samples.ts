import { randomUUID } from "node:crypto";
import { type Clock, systemClock } from "@paycron/core";
import type { SupabaseWebhookPayload } from "./supabase-payload.ts";
import { SUPABASE_EVENT_ROUTES, type RoutedSupabaseEvent } from "./supabase-routes.ts";

type Row = Record<string, unknown>;

/*
 * Rows shaped like our tables as Supabase serialises them (snake_case, timestamps as ISO
 * strings, bigint money as numbers), for the CLI's `webhook send supabase` and for tests.
 */
const rows: Record<string, (now: string) => Row> = {
  customers: (now) => ({
    id: randomUUID(),
    organization_id: randomUUID(),
    external_id: `cust_${randomUUID().slice(0, 8)}`,
    email: "ada@example.test",
    name: "Ada Lovelace",
    locale: "en",
    stripe_customer_id: null,
    created_at: now,
    updated_at: now,
  }),
  invoices: (now) => ({
    id: randomUUID(),
    organization_id: randomUUID(),
    customer_id: randomUUID(),
    subscription_id: randomUUID(),
    billing_period_id: randomUUID(),
    number: "INV-000042",
    status: "open",
    currency: "USD",
    subtotal: 4900,
    discount: 0,
    tax: 0,
    total: 4900,
    amount_paid: 0,
    amount_due: 4900,
    issued_at: now,
    due_at: now,
    paid_at: null,
    voided_at: null,
    pdf_object: null,
    receipt_object: null,
    created_at: now,
    updated_at: now,
  }),
  subscriptions: (now) => ({
    id: randomUUID(),
    organization_id: randomUUID(),
    customer_id: randomUUID(),
    status: "active",
    currency: "USD",
    billing_cycle_anchor: now,
    current_period_start: now,
    current_period_end: now,
    trial_end: null,
    cancel_at_period_end: false,
    cancel_at: null,
    canceled_at: null,
    cancellation_reason: null,
    ended_at: null,
    default_payment_method_id: null,
    backup_payment_method_id: null,
    created_at: now,
    updated_at: now,
  }),
  usage_events: (now) => ({
    id: randomUUID(),
    usage_meter_id: randomUUID(),
    customer_id: randomUUID(),
    subscription_id: randomUUID(),
    quantity: 3,
    occurred_at: now,
    idempotency_key: randomUUID(),
    properties: { source: "paycron-cli" },
    created_at: now,
  }),
};

/** What an UPDATE changes in the sample, so old_record and record differ as in a real update. */
const updates: Record<string, Row> = {
  invoices: { status: "paid", amount_paid: 4900, amount_due: 0 },
  subscriptions: { status: "past_due" },
};

export const SUPABASE_SAMPLE_EVENTS = Object.keys(SUPABASE_EVENT_ROUTES) as RoutedSupabaseEvent[];

/** A Supabase database-webhook payload for `table:TYPE` (e.g. "invoices:UPDATE"). */
export function buildSampleSupabasePayload(event: string, options: { clock?: Clock; record?: Row } = {}): SupabaseWebhookPayload {
  const match = /^([a-z_][a-z0-9_]*):(INSERT|UPDATE|DELETE)$/.exec(event);
  if (!match) throw new Error(`"${event}" is not table:TYPE (TYPE is INSERT, UPDATE or DELETE), e.g. customers:INSERT`);
  const [, table, type] = match as unknown as [string, string, SupabaseWebhookPayload["type"]];
  const make = rows[table];
  if (!make) throw new Error(`no sample rows for table "${table}": use one of ${Object.keys(rows).join(", ")}`);

  const now = (options.clock ?? systemClock).now();
  const before = make(new Date(now.getTime() - 60_000).toISOString());
  const after = { ...before, ...(type === "UPDATE" ? updates[table] : {}), ...options.record };
  if (type !== "INSERT" && "updated_at" in after) after.updated_at = now.toISOString();
  return {
    type,
    table,
    schema: "public",
    record: type === "DELETE" ? null : after,
    old_record: type === "INSERT" ? null : before,
  };
}
