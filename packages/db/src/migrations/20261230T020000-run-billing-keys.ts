import { type Kysely, sql } from "kysely";

/*
 * The dashboard's customer page lists the runs about a customer: runs whose payload names one of
 * their billing runs, subscriptions or payments (the billing tasks' payloads). Partial expression
 * indexes, like task_runs_webhook_event: only runs that carry the field are in them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index task_runs_billing_run on task_runs ((payload->>'billingRunId')) where payload ? 'billingRunId';
    create index task_runs_subscription on task_runs ((payload->>'subscriptionId')) where payload ? 'subscriptionId';
    create index task_runs_payment on task_runs ((payload->>'paymentId')) where payload ? 'paymentId';
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index if exists task_runs_payment;
    drop index if exists task_runs_subscription;
    drop index if exists task_runs_billing_run;
  `.execute(db);
}
