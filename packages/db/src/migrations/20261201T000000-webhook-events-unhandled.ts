import { type Kysely, sql } from "kysely";

/*
 * `unhandled`: the event's task ran and settled it, but no handler acted on it (the
 * acknowledgement placeholder). Final like `processed`, except that a replay may deliberately
 * re-open it once its handler exists. `replays` counts those re-openings: it numbers each
 * replay's outbox key, so every replay is a new run while a retried replay transaction, rolled
 * back with its counter, reuses its number.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table webhook_events drop constraint webhook_events_status_check;
    alter table webhook_events add constraint webhook_events_status_check
      check (status in ('received', 'processed', 'ignored', 'failed', 'unhandled'));
    alter table webhook_events add column replays integer not null default 0 check (replays >= 0);
  `.execute(db);
}

/** Before `unhandled` existed such events were marked `processed`, so that is where they go back. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table webhook_events drop column if exists replays;
    update webhook_events set status = 'processed' where status = 'unhandled';
    alter table webhook_events drop constraint webhook_events_status_check;
    alter table webhook_events add constraint webhook_events_status_check
      check (status in ('received', 'processed', 'ignored', 'failed'));
  `.execute(db);
}
