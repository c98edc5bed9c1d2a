import { Cron } from "croner";
import type { Clock, Logger } from "@paycron/core";
import type { Db } from "@paycron/db";
import type { CatalogTask, TaskCatalog } from "@paycron/runtime/catalog";
import { enqueueUnchecked } from "@paycron/runtime";

export interface CronDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  catalog: TaskCatalog;
}

/** The payload Trigger.dev gives a declarative schedules.task. */
export interface SchedulePayload {
  type: "DECLARATIVE";
  timestamp: Date;
  lastTimestamp?: Date;
  timezone: string;
  scheduleId: string;
  upcoming: Date[];
}

function scheduledTasks(catalog: TaskCatalog): Array<CatalogTask & { schedule: NonNullable<CatalogTask["schedule"]> }> {
  return [...catalog.tasks.values()].filter((t): t is CatalogTask & { schedule: NonNullable<CatalogTask["schedule"]> } => !!t.schedule);
}

function cronOf(task: { schedule: { cron: string; timezone: string } }): Cron {
  // No callback: croner only computes dates, it never starts a timer of its own.
  return new Cron(task.schedule.cron, { timezone: task.schedule.timezone, paused: true });
}

/**
 * Fires the latest due slot of every schedules.task, once across all processes: the conditional
 * UPDATE of task_cron_state and the outbox key `cron:<task>:<slot>` both make a second firing a
 * no-op. Only the latest slot fires: after downtime a missed tick runs once, not once per slot
 * missed (the upkeep and billing crons sweep state, they do not count ticks). A schedule seen for
 * the first time starts from now, as a newly deployed Trigger.dev schedule does.
 */
export async function fireDueCrons(deps: CronDeps): Promise<number> {
  const now = deps.clock.now();
  let fired = 0;
  const tasks = scheduledTasks(deps.catalog);
  if (tasks.length === 0) return 0;
  const states = await deps.db
    .selectFrom("task_cron_state")
    .select(["task_id", "last_slot"])
    .where("task_id", "in", tasks.map((t) => t.id))
    .execute();
  const lastSlots = new Map(states.map((s) => [s.task_id, s.last_slot]));
  for (const task of tasks) {
    const cron = cronOf(task);
    // previousRuns excludes the reference instant itself; a slot at exactly `now` is due.
    const slot = cron.previousRuns(1, new Date(now.getTime() + 1))[0];
    const lastSlot = lastSlots.get(task.id);
    if (!lastSlot) {
      await deps.db
        .insertInto("task_cron_state")
        .values({ task_id: task.id, last_slot: slot ?? now })
        .onConflict((oc) => oc.column("task_id").doNothing())
        .execute();
      continue;
    }
    if (!slot || slot.getTime() <= lastSlot.getTime()) continue;

    const didFire = await deps.db.transaction().execute(async (tx) => {
      const claimed = await tx
        .updateTable("task_cron_state")
        .set({ last_slot: slot, updated_at: now })
        .where("task_id", "=", task.id)
        .where("last_slot", "<", slot)
        .returning("task_id")
        .executeTakeFirst();
      if (!claimed) return false;
      const payload: SchedulePayload = {
        type: "DECLARATIVE",
        timestamp: slot,
        lastTimestamp: lastSlot,
        timezone: task.schedule.timezone,
        scheduleId: `sched_local_${task.id}`,
        upcoming: cron.nextRuns(10, slot),
      };
      const { created } = await enqueueUnchecked(tx, task.id, payload, {
        idempotencyKey: `cron:${task.id}:${slot.toISOString()}`,
        clock: deps.clock,
      });
      return created;
    });
    if (didFire) {
      fired += 1;
      deps.logger.info({ task: task.id, slot: slot.toISOString(), timezone: task.schedule.timezone }, "cron fired");
    }
  }
  return fired;
}

/** When the next slot of any schedule falls due, to sleep exactly that long. */
export function nextCronSlot(catalog: TaskCatalog, now: Date): Date | undefined {
  let next: Date | undefined;
  for (const task of scheduledTasks(catalog)) {
    const n = cronOf(task).nextRun(now);
    if (n && (!next || n < next)) next = n;
  }
  return next;
}
