import { sql } from "kysely";
import type { Clock } from "@paycron/core";
import type { Db, TaskRunStatus } from "@paycron/db";
import { summarizeTasks, type TaskSummary } from "@paycron/local-engine";
import { payloadJsonSchema, type TaskCatalog } from "@paycron/runtime/catalog";

export interface TaskView extends TaskSummary {
  queueName: string;
  jsonSchema: Record<string, unknown> | null;
  /** Runs created in the last 24 hours, by status. */
  last24h: Partial<Record<TaskRunStatus, number>>;
}

const DAY_MS = 24 * 3_600_000;

/** Runs of the last 24 hours by task and status: one grouped scan of that day's rows. */
async function countsByTask(db: Db, clock: Clock, taskId?: string): Promise<Map<string, Partial<Record<TaskRunStatus, number>>>> {
  let query = db
    .selectFrom("task_runs")
    .select(["task_id", "status", sql<number>`count(*)::int`.as("n")])
    .where("created_at", ">=", new Date(clock.now().getTime() - DAY_MS))
    .groupBy(["task_id", "status"]);
  if (taskId) query = query.where("task_id", "=", taskId);
  const counts = new Map<string, Partial<Record<TaskRunStatus, number>>>();
  for (const row of await query.execute()) {
    const byStatus = counts.get(row.task_id) ?? {};
    byStatus[row.status] = row.n;
    counts.set(row.task_id, byStatus);
  }
  return counts;
}

/** Every task of the catalog, as `paycron tasks` describes it, with its runs of the last day. */
export async function taskViews(deps: { db: Db; clock: Clock; catalog: TaskCatalog }, taskId?: string): Promise<TaskView[]> {
  const counts = await countsByTask(deps.db, deps.clock, taskId);
  return summarizeTasks(deps.catalog, deps.clock, { upcoming: 3 })
    .filter((t) => !taskId || t.id === taskId)
    .map((t) => ({
      ...t,
      queueName: deps.catalog.get(t.id).queueName,
      jsonSchema: payloadJsonSchema(deps.catalog, t.id),
      last24h: counts.get(t.id) ?? {},
    }));
}

/** A payload to start from in the trigger form: each required property with a placeholder of its type. */
export function examplePayload(schema: Record<string, unknown> | null): unknown {
  if (!schema) return {};
  return exampleOf(schema);
}

function exampleOf(schema: Record<string, unknown>): unknown {
  const type = schema.type;
  if (type === "object") {
    const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
    const required = new Set((schema.required ?? []) as string[]);
    return Object.fromEntries(Object.entries(properties).filter(([name]) => required.has(name)).map(([name, s]) => [name, exampleOf(s)]));
  }
  if (type === "array") return [exampleOf((schema.items ?? {}) as Record<string, unknown>)];
  if (type === "integer" || type === "number") return 0;
  if (type === "boolean") return false;
  if (type === "string") return schema.format === "uuid" ? "00000000-0000-4000-8000-000000000000" : "";
  return null;
}
