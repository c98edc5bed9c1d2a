import type { Command } from "commander";
import { systemClock } from "@paycron/core";
import type { Db, TaskRunError, TaskRunStatus } from "@paycron/db";
import { hasRunsOf, listRuns, ROUTINE_TASKS, type RunLogEntry } from "@paycron/local-engine";
import { openDatabase } from "../database.ts";
import { readCliEnv } from "../env.ts";
import { formatMs, formatTable } from "../format-table.ts";
import { followRunsUntilStopped } from "./runs-follow.ts";
import { registerRunsCancel } from "./runs-cancel.ts";
import { registerRunsReplay } from "./runs-replay.ts";
import { registerRunsShow } from "./runs-show.ts";
import { knownTasks, loadCatalogFrom } from "./task-catalog.ts";

const STATUSES: TaskRunStatus[] = ["queued", "delayed", "executing", "retrying", "completed", "failed", "canceled"];

interface RunsOptions {
  task?: string;
  status?: string;
  limit: string;
  json?: boolean;
  all?: boolean;
  follow?: boolean;
}

const HELP = `
${ROUTINE_TASKS.join(", ")} (every minute) is left out unless --all or --task names it.
A run not dispatched yet (delayed, or waiting for a dispatcher) is listed under its outbox id.

Examples:
  pnpm paycron runs --status failed
  pnpm paycron runs --follow
  pnpm paycron runs show <id>
  pnpm paycron runs replay <id>
  pnpm paycron runs cancel <id>
`;

export function registerRuns(program: Command): void {
  const runs = program
    .command("runs")
    .description("list task runs of the local engine, newest first; show, follow, replay or cancel them")
    .option("--task <id>", "only runs of this task")
    .option("--status <status>", `only runs in this status (${STATUSES.join(", ")})`)
    .option("--limit <n>", "how many runs", "50")
    .option("--all", `include ${ROUTINE_TASKS.join(", ")}`)
    .option("--json", "print the runs as JSON (payload, output and error included)")
    .option("-f, --follow", "print a line as each run starts and ends, until Ctrl-C")
    .addHelpText("after", HELP)
    .enablePositionalOptions()
    .action(async (options: RunsOptions) => {
      if (options.status && !STATUSES.includes(options.status as TaskRunStatus)) {
        throw new Error(`unknown status "${options.status}": use one of ${STATUSES.join(", ")}`);
      }
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new Error(`--limit must be a positive integer, got "${options.limit}"`);
      const excludeTasks = options.all ? [] : ROUTINE_TASKS;
      const database = await openDatabase(readCliEnv());
      try {
        if (options.task) await checkTask(database.db, options.task);
        if (options.follow) {
          await followRunsUntilStopped(database.db, { taskId: options.task, excludeTasks });
          return;
        }
        const entries = await listRuns(
          { db: database.db, clock: systemClock },
          { taskId: options.task, status: options.status as TaskRunStatus | undefined, excludeTasks, limit },
        );
        if (options.json) {
          console.log(JSON.stringify(entries, null, 2));
          return;
        }
        console.log(entries.length === 0 ? "no runs" : formatTable(["ID", "TASK", "STATUS", "ATTEMPT", "CREATED", "DURATION", "NOTE"], entries.map(row)));
      } finally {
        await database.close();
      }
    });
  registerRunsShow(runs);
  registerRunsReplay(runs);
  registerRunsCancel(runs);
}

/** A task with history is known even once its file is gone; otherwise the catalog decides. */
async function checkTask(db: Db, taskId: string): Promise<void> {
  if (await hasRunsOf(db, taskId)) return;
  const catalog = await loadCatalogFrom(undefined);
  if (!catalog.has(taskId)) throw new Error(`unknown task "${taskId}". Known tasks: ${knownTasks(catalog)}`);
}

function row(entry: RunLogEntry): string[] {
  if (entry.pending) {
    const note = entry.status === "delayed" ? `not dispatched: due ${entry.run_at.toISOString()}` : "not dispatched yet";
    return [entry.id, entry.task_id, entry.status, "-", entry.created_at.toISOString(), "-", note];
  }
  const duration = entry.started_at && entry.finished_at ? formatMs(entry.finished_at.getTime() - entry.started_at.getTime()) : "-";
  const error = entry.error as TaskRunError | null;
  const note =
    entry.status === "retrying"
      ? `next attempt ${entry.run_at.toISOString()}${error ? `; ${error.name}: ${firstLine(error.message)}` : ""}`
      : error && entry.status !== "completed"
        ? `${error.name}: ${firstLine(error.message)}`
        : "";
  const attempt = entry.attempt === 0 ? "-" : `${entry.attempt}/${entry.max_attempts}`;
  return [entry.id, entry.task_id, entry.status, attempt, entry.created_at.toISOString(), duration, note];
}

const firstLine = (text: string) => text.split("\n", 1)[0]!;
