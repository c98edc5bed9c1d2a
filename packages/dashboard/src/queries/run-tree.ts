import { sql } from "kysely";
import type { Clock } from "@paycron/core";
import type { Db, TaskRunStatus } from "@paycron/db";

export interface TreeNode {
  id: string;
  task_id: string;
  status: TaskRunStatus;
  parent_run_id: string | null;
  pending: boolean;
  created_at: Date;
}

const MAX_DEPTH = 20;
const MAX_NODES = 200;

/**
 * The whole family of a run, as Trigger.dev's run page draws it: its root ancestor and every
 * descendant (children enqueued by a run name it in parent_run_id), not yet dispatched ones
 * included. Bounded in depth and size; each step is a probe of the primary key or the
 * task_runs_parent index.
 */
export async function runTree(deps: { db: Db; clock: Clock }, runId: string): Promise<TreeNode[]> {
  const { rows: up } = await sql<{ id: string }>`
    with recursive up as (
      select id, parent_run_id, 0 as depth from task_runs where id = ${runId}
      union all
      select r.id, r.parent_run_id, up.depth + 1 from task_runs r join up on r.id = up.parent_run_id where up.depth < ${MAX_DEPTH}
    )
    select id from up order by depth desc limit 1`.execute(deps.db);
  const root = up[0]?.id;
  if (!root) return [];
  const { rows } = await sql<Omit<TreeNode, "pending">>`
    with recursive down as (
      select id, task_id, status, parent_run_id, created_at, 0 as depth from task_runs where id = ${root}
      union all
      select r.id, r.task_id, r.status, r.parent_run_id, r.created_at, down.depth + 1
      from task_runs r join down on r.parent_run_id = down.id where down.depth < ${MAX_DEPTH}
    )
    select id, task_id, status, parent_run_id, created_at from down limit ${MAX_NODES}`.execute(deps.db);
  const ids = rows.map((r) => r.id);
  const now = deps.clock.now();
  const pending = ids.length
    ? await deps.db
        .selectFrom("task_outbox")
        .select(["id", "task_id", "parent_run_id", "available_at", "created_at"])
        .where("parent_run_id", "in", ids)
        .where("dispatched_at", "is", null)
        .limit(MAX_NODES)
        .execute()
    : [];
  return [
    ...rows.map((r) => ({ ...r, pending: false })),
    ...pending.map((p) => ({
      id: p.id,
      task_id: p.task_id,
      status: (p.available_at > now ? "delayed" : "queued") as TaskRunStatus,
      parent_run_id: p.parent_run_id,
      pending: true,
      created_at: p.created_at,
    })),
  ];
}
