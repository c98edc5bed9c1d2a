import { type Kysely, sql } from "kysely";

/*
 * `engine_batch_id`: the Trigger.dev batch that carried an outbox row. Rows sent together go out
 * through the batch API, which names the batch but not each item's run; a row sent alone still
 * records its run in engine_run_id.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table task_outbox add column engine_batch_id text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table task_outbox drop column if exists engine_batch_id`.execute(db);
}
