import { type Kysely, sql } from "kysely";

/*
 * The local engine's attempt history, for the dashboard's run page: each attempt's start and end,
 * and when the next one was due. `task_runs.attempt_started_at` is the current attempt's start (set
 * by the claim; `started_at` stays the first attempt's). An attempt that ends without completing
 * the run (it failed and will retry, failed for good, or its worker died) is copied into
 * `task_run_attempts` by a trigger, in the same statement that ends it, whichever code path that
 * is (executor, crash recovery); a completed attempt is the run row itself, so the hot path of a
 * run that succeeds first time writes nothing more. An attempt handed back uncounted (concurrency
 * full, worker stopping) decrements `attempt` and is not recorded.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table task_runs add column attempt_started_at timestamptz;

    create table task_run_attempts (
      run_id uuid not null references task_runs (id) on delete cascade,
      attempt integer not null,
      started_at timestamptz,
      ended_at timestamptz not null,
      -- retrying: failed, another attempt follows; failed: the run failed with it.
      outcome text not null check (outcome in ('retrying', 'failed', 'canceled')),
      error jsonb,
      next_attempt_at timestamptz,
      primary key (run_id, attempt)
    );

    create function task_run_attempt_ended() returns trigger language plpgsql as $$
    begin
      insert into task_run_attempts (run_id, attempt, started_at, ended_at, outcome, error, next_attempt_at)
      values (new.id, old.attempt, old.attempt_started_at, clock_timestamp(), new.status, new.error,
              case when new.status = 'retrying' and new.run_at is distinct from old.run_at then new.run_at end)
      on conflict (run_id, attempt) do update set
        started_at = excluded.started_at, ended_at = excluded.ended_at, outcome = excluded.outcome,
        error = excluded.error, next_attempt_at = excluded.next_attempt_at;
      return null;
    end $$;

    create trigger task_run_attempt_ended after update on task_runs
      for each row when (old.status = 'executing' and new.status in ('retrying', 'failed', 'canceled') and new.attempt = old.attempt)
      execute function task_run_attempt_ended();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop trigger if exists task_run_attempt_ended on task_runs;
    drop function if exists task_run_attempt_ended();
    drop table if exists task_run_attempts;
    alter table task_runs drop column if exists attempt_started_at;
  `.execute(db);
}
