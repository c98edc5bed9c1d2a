import { type Kysely, sql } from "kysely";

/*
 * A subscription's invoices and billing runs are looked up by subscription_id on hot paths: every
 * first payment of a new subscription (onInvoicePaid checks nothing else is owed before an
 * incomplete subscription becomes active), every dunning recovery and final action, every
 * incomplete expiry. Without these indexes each such lookup is a sequential scan of all invoices
 * or all runs, so signing up N customers costs O(N²).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index invoices_subscription on invoices (subscription_id);
    create index billing_runs_subscription on billing_runs (subscription_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index if exists billing_runs_subscription;
    drop index if exists invoices_subscription;
  `.execute(db);
}
