import { type Kysely, sql } from "kysely";

/*
 * What the local dashboard (@paycron/dashboard) pages by and filters on, so that its lists stay
 * index scans on 100k runs: every list is newest first with a (time, id) cursor; the run list
 * filters by idempotency key prefix, and the same index finds a webhook event's runs and a
 * customer's (by the keys the inbox and billing give them); a run's page finds its children by
 * parent_run_id; the events filter lists the types seen by a skip scan of the type index.
 * Each index on task_runs costs every run an index write: two for every run (time, key), one
 * for child runs; nothing keyed on payload fields. Payload text search is deliberately a filter
 * over the rows the other conditions leave (a trigram index would need pg_trgm, which hosted
 * Postgres may lack).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index task_runs_created on task_runs (created_at desc, id);
    create index task_runs_idempotency_key on task_runs (idempotency_key text_pattern_ops) where idempotency_key is not null;
    create index task_runs_parent on task_runs (parent_run_id) where parent_run_id is not null;
    create index webhook_events_received on webhook_events (received_at desc, id);
    create index webhook_events_type_received on webhook_events (type, received_at desc);
    create index invoices_created on invoices (created_at desc, id);
    create index billing_runs_created on billing_runs (created_at desc, id);
    create index email_deliveries_recipient on email_deliveries (recipient, created_at desc);
    create index email_deliveries_created on email_deliveries (created_at desc, id);
    create index payments_customer on payments (customer_id, created_at desc);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index if exists payments_customer;
    drop index if exists email_deliveries_created;
    drop index if exists email_deliveries_recipient;
    drop index if exists billing_runs_created;
    drop index if exists invoices_created;
    drop index if exists webhook_events_type_received;
    drop index if exists webhook_events_received;
    drop index if exists task_runs_parent;
    drop index if exists task_runs_idempotency_key;
    drop index if exists task_runs_created;
  `.execute(db);
}
