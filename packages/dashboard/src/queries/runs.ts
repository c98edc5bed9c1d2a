import type { Clock } from "@paycron/core";
import type { Db, TaskOutboxRow, TaskRunAttempt, TaskRunStatus, WebhookEvent } from "@paycron/db";
import { billingContext, type BillingContext } from "./billing-context.ts";
import { runTree, type TreeNode } from "./run-tree.ts";
import { listRunsPage, ROUTINE_TASKS, showRun, type RunDetail, type RunPage } from "@paycron/local-engine";

export const RUN_STATUSES: TaskRunStatus[] = ["queued", "delayed", "executing", "retrying", "completed", "failed", "canceled"];

export interface RunsQuery {
  task?: string;
  status?: TaskRunStatus;
  since?: Date;
  until?: Date;
  key?: string;
  q?: string;
  /** Include outbox-sweep (every minute) when no task is named. */
  routine?: boolean;
  after?: string;
}

export const RUNS_PAGE_SIZE = 50;

/** The runs log, through the same function as `paycron runs`. */
export function runsPage(deps: { db: Db; clock: Clock }, query: RunsQuery): Promise<RunPage> {
  return listRunsPage(deps, {
    taskId: query.task,
    status: query.status,
    excludeTasks: query.routine ? [] : ROUTINE_TASKS,
    since: query.since,
    until: query.until,
    idempotencyKeyPrefix: query.key,
    payloadText: query.q,
    limit: RUNS_PAGE_SIZE,
    after: query.after,
  });
}

export interface RunView extends RunDetail {
  /** The outbox row the run came from (or is, while not dispatched). */
  outbox: TaskOutboxRow | null;
  /** The whole stored webhook event, payload included. */
  event: WebhookEvent | null;
  /** Attempts that ended without completing the run, by number (the last completed one is the run row). */
  attempts: TaskRunAttempt[];
  /** Its root ancestor and every descendant; just the run itself when it has neither parent nor children. */
  tree: TreeNode[];
  /** The billing objects its payload names, as they stand now. */
  billing: BillingContext | null;
}

/** One run as `paycron runs show` sees it, plus its outbox row and its webhook event's payload. */
export async function runView(deps: { db: Db; clock: Clock }, id: string): Promise<RunView | undefined> {
  const detail = await showRun(deps, id);
  if (!detail) return undefined;
  const outboxId = detail.run.pending ? detail.run.id : detail.run.outbox_id;
  const [outbox, event, attempts, tree, billing] = await Promise.all([
    outboxId ? deps.db.selectFrom("task_outbox").selectAll().where("id", "=", outboxId).executeTakeFirst() : undefined,
    detail.webhook_event ? deps.db.selectFrom("webhook_events").selectAll().where("id", "=", detail.webhook_event.id).executeTakeFirst() : undefined,
    detail.run.pending ? [] : deps.db.selectFrom("task_run_attempts").selectAll().where("run_id", "=", detail.run.id).orderBy("attempt").execute(),
    detail.run.pending || (!detail.parent && detail.children.length === 0) ? [] : runTree(deps, detail.run.id),
    billingContext(deps.db, detail.run.payload),
  ]);
  return { ...detail, outbox: outbox ?? null, event: event ?? null, attempts, tree, billing };
}

/** Whether anything on a list is still moving: the page refreshes itself while it is. */
export function inMotion(statuses: Iterable<string>): boolean {
  for (const s of statuses) if (s === "queued" || s === "executing" || s === "retrying" || s === "delayed") return true;
  return false;
}
