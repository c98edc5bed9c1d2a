import type { Command } from "commander";
import type { TaskRunStatus } from "@paycron/db";
import { openDatabase } from "../database.ts";
import { readCliEnv } from "../env.ts";

const STATUSES: TaskRunStatus[] = ["queued", "delayed", "executing", "retrying", "completed", "failed", "canceled"];

export function registerRuns(program: Command): void {
  program
    .command("runs")
    .description("list task runs of the local engine, newest first")
    .option("--task <id>", "only runs of this task")
    .option("--status <status>", `only runs in this status (${STATUSES.join(", ")})`)
    .option("--limit <n>", "how many runs", "50")
    .option("--json", "print the runs as JSON (payload, output and error included)")
    .action(async (options: { task?: string; status?: string; limit: string; json?: boolean }) => {
      if (options.status && !STATUSES.includes(options.status as TaskRunStatus)) {
        throw new Error(`unknown status "${options.status}": use one of ${STATUSES.join(", ")}`);
      }
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new Error(`--limit must be a positive integer, got "${options.limit}"`);
      const database = await openDatabase(readCliEnv());
      try {
        let query = database.db.selectFrom("task_runs").selectAll().orderBy("created_at", "desc").orderBy("id").limit(limit);
        if (options.task) query = query.where("task_id", "=", options.task);
        if (options.status) query = query.where("status", "=", options.status as TaskRunStatus);
        const runs = await query.execute();
        if (options.json) {
          console.log(JSON.stringify(runs, null, 2));
          return;
        }
        if (runs.length === 0) {
          console.log("no runs");
          return;
        }
        for (const r of runs) {
          const ms = r.started_at && r.finished_at ? `${r.finished_at.getTime() - r.started_at.getTime()}ms` : "-";
          const error = r.error ? `  ${(r.error as { name?: string; message?: string }).name}: ${(r.error as { message?: string }).message}` : "";
          console.log(
            `${r.id}  ${r.task_id.padEnd(32)} ${r.status.padEnd(10)} attempt ${r.attempt}/${r.max_attempts}  ${r.created_at.toISOString()}  ${ms}${error}`,
          );
        }
      } finally {
        await database.close();
      }
    });
}
