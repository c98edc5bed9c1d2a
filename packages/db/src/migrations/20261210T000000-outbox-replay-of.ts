import { type Kysely, sql } from "kysely";

/*
 * `replay_of`: the run an outbox row replays (`paycron runs replay`). It lives on the outbox row,
 * not on task_runs, because the row is what the replay writes in its transaction; the run it
 * becomes points back to it through task_runs.outbox_id, on either engine. A replay is not a
 * child (parent_run_id): nothing in the original's code asked for it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table task_outbox add column replay_of uuid references task_runs(id) on delete set null;
    create index task_outbox_replay_of on task_outbox (replay_of) where replay_of is not null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index if exists task_outbox_replay_of;
    alter table task_outbox drop column if exists replay_of;
  `.execute(db);
}
