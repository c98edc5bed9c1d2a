import { type Kysely, sql } from "kysely";

/*
 * Shared rate buckets (GCRA): one row per remote limit, e.g. Stripe's 25 requests/s on
 * `POST /v1/payment_intents`, so every worker process paces against the same budget. A row holds
 * only its theoretical arrival time; the rate and burst come with each reservation.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table rate_limit_buckets (
      name text primary key,
      tat timestamptz not null
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists rate_limit_buckets;`.execute(db);
}
