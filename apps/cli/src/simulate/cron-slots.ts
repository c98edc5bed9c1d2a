import { TestClock } from "@paycron/core";
import { summarizeTasks } from "@paycron/local-engine";
import type { TaskCatalog } from "@paycron/runtime/catalog";
import { HOUR_MS } from "./scenario.ts";

export interface CronSlot {
  at: Date;
  /** The crons to fire at this moment. */
  tasks: string[];
}

const DAY_MS = 24 * HOUR_MS;

/**
 * Every slot in (start, end] of the crons that run hourly or less often (hourly-cron, daily-cron):
 * the moments the clock stops at, so that each of their slots fires at its own time. Crons more
 * frequent than hourly (outbox-sweep, a catch-up safety net for dispatches a crash lost) fire
 * with the daily ones, once a simulated day: a slot per simulated minute would be half a million
 * runs a year of a sweep that the drains leave nothing to find for.
 */
export function cronSlots(catalog: TaskCatalog, start: Date, end: Date): CronSlot[] {
  const hours = Math.ceil((end.getTime() - start.getTime()) / HOUR_MS);
  const summaries = summarizeTasks(catalog, new TestClock(start), { upcoming: hours + 1 }).filter((t) => t.schedule);
  const gap = (next: Date[]) => (next.length >= 2 ? next[1]!.getTime() - next[0]!.getTime() : Number.POSITIVE_INFINITY);
  const frequent = summaries.filter((t) => gap(t.schedule!.next) < HOUR_MS).map((t) => t.id);
  const bySlot = new Map<number, string[]>();
  for (const task of summaries) {
    const every = gap(task.schedule!.next);
    if (every < HOUR_MS) continue;
    for (const at of task.schedule!.next) {
      if (at.getTime() > end.getTime()) break;
      const tasks = bySlot.get(at.getTime()) ?? [];
      tasks.push(task.id, ...(every >= DAY_MS ? frequent : []));
      bySlot.set(at.getTime(), tasks);
    }
  }
  return [...bySlot.entries()].sort(([a], [b]) => a - b).map(([at, tasks]) => ({ at: new Date(at), tasks: [...new Set(tasks)].sort() }));
}

/** The catalog with only `tasks` scheduled: fireDueCrons given it fires just those. */
export function catalogFiring(catalog: TaskCatalog, tasks: readonly string[]): TaskCatalog {
  return { ...catalog, tasks: new Map([...catalog.tasks].filter(([id, task]) => !task.schedule || tasks.includes(id))) };
}
