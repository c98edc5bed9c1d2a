import { Cron } from "croner";
import type { Clock } from "@paycron/core";
import type { CatalogTask, RetryOptions, TaskCatalog } from "@paycron/runtime/catalog";

export interface TaskSummary {
  id: string;
  file: string;
  /** schedule: its crons start it (on a runtime with crons on), it cannot be triggered by hand. */
  kind: CatalogTask["kind"];
  schedule: { cron: string; timezone: string; next: Date[] } | null;
  retry: RetryOptions;
  /** Neither the task nor trigger.config.ts set a policy: no retries, as on Trigger.dev. */
  retryIsImplicit: boolean;
  concurrency: { total?: number; perKey?: number; limits: Array<{ name: string; total?: number; perKey?: number }> };
  maxDurationSeconds: number | null;
}

/** Every task of the catalog, by id, with the next `upcoming` slots of its schedule from the clock's now. */
export function summarizeTasks(catalog: TaskCatalog, clock: Clock, options: { upcoming?: number } = {}): TaskSummary[] {
  const now = clock.now();
  return [...catalog.tasks.values()]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((task) => ({
      id: task.id,
      file: task.file,
      kind: task.kind,
      schedule: task.schedule
        ? {
            cron: task.schedule.cron,
            timezone: task.schedule.timezone,
            // No callback: croner only computes dates here, it starts no timer.
            next: new Cron(task.schedule.cron, { timezone: task.schedule.timezone, paused: true }).nextRuns(options.upcoming ?? 3, now),
          }
        : null,
      retry: task.retry,
      retryIsImplicit: task.retryIsImplicit,
      concurrency: {
        total: task.concurrency.total,
        perKey: task.concurrency.perKey,
        limits: task.concurrency.limits.map((l) => ({ ...l })),
      },
      maxDurationSeconds: task.maxDurationSeconds ?? null,
    }));
}
