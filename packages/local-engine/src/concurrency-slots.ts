import { sql } from "kysely";
import type { Db } from "@paycron/db";
import type { CatalogTask } from "@paycron/runtime/catalog";

export interface SlotLimit {
  key: string;
  size: number;
}

/**
 * The counting semaphores a run of `task` must hold, as Trigger.dev's concurrency model defines
 * them: the task's inline `total` and `perKey`, and each named concurrencyLimit() it shares
 * with other tasks. A per-key limit only applies to runs that were given a concurrencyKey.
 */
export function slotLimits(task: CatalogTask, concurrencyKey: string | null): SlotLimit[] {
  const limits: SlotLimit[] = [];
  const { total, perKey } = task.concurrency;
  if (total) limits.push({ key: `task:${task.id}`, size: total });
  if (perKey && concurrencyKey !== null) limits.push({ key: `task:${task.id}:key:${concurrencyKey}`, size: perKey });
  for (const named of task.concurrency.limits) {
    if (named.total) limits.push({ key: `limit:${named.name}`, size: named.total });
    if (named.perKey && concurrencyKey !== null) limits.push({ key: `limit:${named.name}:key:${concurrencyKey}`, size: named.perKey });
  }
  // A fixed order keeps two runs from each holding half of what the other needs.
  return limits.sort((a, b) => a.key.localeCompare(b.key));
}

/**
 * Takes one free slot of every limit, or none. A slot is a row (limit, n) for n in 1..size; it is
 * free when absent or when its lease ran out (its holder crashed). The primary key makes two
 * runs racing for one slot end with one holder, so a limit is never exceeded.
 */
export async function acquireSlots(db: Db, runId: string, limits: SlotLimit[], leaseMs: number): Promise<boolean> {
  for (const limit of limits) {
    let acquired = false;
    // A lost race for a slot that looked free is retried; a full limit is not.
    for (let tries = 0; tries < 3 && !acquired; tries++) {
      const { rows } = await sql<{ slot: number; free: number }>`
        with free as (
          select s from generate_series(1, ${limit.size}::int) s
          where not exists (
            select 1 from task_concurrency_slots c
            where c.limit_key = ${limit.key} and c.slot = s and c.lease_until > clock_timestamp() and c.run_id <> ${runId}::uuid)
          order by random() limit 1)
        insert into task_concurrency_slots (limit_key, slot, run_id, lease_until)
        select ${limit.key}, s, ${runId}::uuid, clock_timestamp() + ${leaseMs}::int * interval '1 millisecond' from free
        on conflict (limit_key, slot) do update set run_id = excluded.run_id, lease_until = excluded.lease_until
          where task_concurrency_slots.lease_until <= clock_timestamp() or task_concurrency_slots.run_id = excluded.run_id
        returning slot`.execute(db);
      if (rows.length > 0) acquired = true;
      else if (!(await hasFreeSlot(db, limit, runId))) break;
    }
    if (!acquired) {
      await releaseSlots(db, runId);
      return false;
    }
  }
  return true;
}

async function hasFreeSlot(db: Db, limit: SlotLimit, runId: string): Promise<boolean> {
  const { rows } = await sql<{ held: number }>`
    select count(*)::int as held from task_concurrency_slots
    where limit_key = ${limit.key} and lease_until > clock_timestamp() and run_id <> ${runId}::uuid`.execute(db);
  return (rows[0]?.held ?? 0) < limit.size;
}

export async function releaseSlots(db: Db, runId: string): Promise<void> {
  await db.deleteFrom("task_concurrency_slots").where("run_id", "=", runId).execute();
}
