import { type Kysely, sql } from "kysely";

/*
 * What the local task engine needs beyond task_outbox/task_runs (packages/runtime):
 * - run leases: a worker killed mid-run stops renewing lease_until, and another worker retries
 *   the run instead of waiting for graphile-worker's 4-hour lock timeout;
 * - concurrency slots: graphile-worker has no counting semaphore, so a task's `concurrency`
 *   limits are rows keyed by (limit, slot), held under a lease like the runs;
 * - cron state: the last slot each schedules.task fired, so a restart fires a missed tick once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table task_outbox add column parent_run_id uuid;

    alter table task_runs add column lease_until timestamptz;
    alter table task_runs add column worker_id text;
    create unique index task_runs_outbox_id on task_runs (outbox_id) where outbox_id is not null;
    create index task_runs_executing_lease on task_runs (lease_until) where status = 'executing';

    create table task_concurrency_slots (
      limit_key text not null,
      slot integer not null check (slot >= 1),
      run_id uuid not null,
      lease_until timestamptz not null,
      primary key (limit_key, slot)
    );
    create index task_concurrency_slots_run on task_concurrency_slots (run_id);

    create table task_cron_state (
      task_id text primary key,
      last_slot timestamptz not null,
      updated_at timestamptz not null default now()
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table if exists task_cron_state, task_concurrency_slots;
    drop index if exists task_runs_executing_lease;
    drop index if exists task_runs_outbox_id;
    alter table task_runs drop column if exists worker_id;
    alter table task_runs drop column if exists lease_until;
    alter table task_outbox drop column if exists parent_run_id;
  `.execute(db);
}
