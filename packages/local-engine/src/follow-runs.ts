import { sql } from "kysely";
import type { Db, TaskRun } from "@paycron/db";

export interface RunEvent {
  /**
   * started: an attempt was claimed to run; retrying: an attempt failed and the next one waits
   * until run.run_at; ended: the run completed, failed or was canceled.
   */
  kind: "started" | "retrying" | "ended";
  at: Date;
  /** The attempt that started, failed, or was the last. */
  attempt: number;
  /** The row as this poll read it. */
  run: TaskRun;
}

export interface FollowFilter {
  taskId?: string;
  /** Left out unless taskId names one of them. */
  excludeTasks?: readonly string[];
}

export interface RunFollower {
  /** Database time the follower started at: nothing that happened before is reported. */
  since: Date;
  /** The starts and ends recorded since the previous poll, oldest first; each reported once. */
  poll(): Promise<RunEvent[]>;
}

/*
 * updated_at is the time of the statement, not of its commit: a transaction that commits just
 * after a poll can hold a row older than what that poll already saw. Each poll looks this far
 * back and reports only what it had not reported.
 */
const LOOKBACK_MS = 2_000;
const PAGE = 2_000;

/**
 * Follows task_runs by updated_at (there is no channel to LISTEN on for runs): the caller polls
 * as often as it likes. A run that started and finished between two polls is reported as both
 * a start (of its first attempt, at started_at) and an end.
 */
export async function followRuns(db: Db, filter: FollowFilter = {}): Promise<RunFollower> {
  const { rows } = await sql<{ now: Date }>`select clock_timestamp() as now`.execute(db);
  const since = rows[0]!.now;
  const exclude = filter.taskId ? [] : [...(filter.excludeTasks ?? [])];
  let lower = since;
  let newest = since;
  const reported = new Map<string, { keys: Set<string>; at: number; ended: boolean }>();

  const events: RunEvent[] = [];
  const report = (run: TaskRun, key: string, event: RunEvent) => {
    let seen = reported.get(run.id);
    if (!seen) reported.set(run.id, (seen = { keys: new Set(), at: 0, ended: false }));
    seen.at = Math.max(seen.at, run.updated_at.getTime());
    seen.ended ||= event.kind === "ended";
    if (seen.keys.has(key)) return;
    seen.keys.add(key);
    events.push(event);
  };
  const startOf = (run: TaskRun, seenExecuting: boolean) => {
    if (seenExecuting) {
      report(run, `started:${run.attempt}`, { kind: "started", at: run.updated_at, attempt: run.attempt, run });
      return;
    }
    // Seen only after it started: started_at is its first attempt's start. A run whose start was
    // reported, or that was already going when we began following, has no start to report.
    if (!run.started_at || run.started_at < since) return;
    if ([...(reported.get(run.id)?.keys ?? [])].some((k) => k.startsWith("started:"))) return;
    report(run, "started:1", { kind: "started", at: run.started_at, attempt: 1, run });
  };

  return {
    since,
    async poll() {
      let query = db.selectFrom("task_runs").selectAll().where("updated_at", ">=", lower).orderBy("updated_at").orderBy("id").limit(PAGE);
      if (filter.taskId) query = query.where("task_id", "=", filter.taskId);
      if (exclude.length > 0) query = query.where("task_id", "not in", exclude);
      const runs = await query.execute();
      events.length = 0;
      for (const run of runs) {
        if (run.updated_at > newest) newest = run.updated_at;
        if (run.status === "executing") startOf(run, true);
        else if (run.status === "retrying" && run.attempt > 0) {
          startOf(run, false);
          report(run, `retrying:${run.attempt}`, { kind: "retrying", at: run.updated_at, attempt: run.attempt, run });
        } else if (run.status === "completed" || run.status === "failed" || run.status === "canceled") {
          startOf(run, false);
          report(run, "ended", { kind: "ended", at: run.finished_at ?? run.updated_at, attempt: run.attempt, run });
        }
      }
      // A full page: read on from its last row rather than look back, or a burst would loop.
      const lookback = new Date(Math.max(since.getTime(), newest.getTime() - LOOKBACK_MS));
      lower = runs.length === PAGE ? runs[runs.length - 1]!.updated_at : lookback;
      // An ended run's row no longer changes, so once it is out of the window it cannot come back;
      // a run still going stays remembered, or its end would report its start again.
      const forget = newest.getTime() - 2 * LOOKBACK_MS;
      for (const [id, seen] of reported) if (seen.ended && seen.at < forget) reported.delete(id);
      return events.splice(0).sort((a, b) => a.at.getTime() - b.at.getTime());
    },
  };
}
