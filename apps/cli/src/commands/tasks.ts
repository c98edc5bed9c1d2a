import type { Command } from "commander";
import { systemClock } from "@paycron/core";
import { summarizeTasks, type TaskSummary } from "@paycron/local-engine";
import { formatMs, formatTable } from "../format-table.ts";
import { loadCatalogFrom } from "./task-catalog.ts";

const HELP = `
Scheduled tasks are started by their crons (on \`pnpm dev\`, or a worker with crons on), not by
\`paycron trigger\`; the others take a payload, see \`paycron trigger --help\`.
`;

export function registerTasks(program: Command): void {
  program
    .command("tasks")
    .description("list the tasks: id, file, schedule and next runs, retry, concurrency, max duration")
    .option("--tasks-dir <dir>", "task directory (default: trigger/)")
    .option("--json", "print them as JSON")
    .addHelpText("after", HELP)
    .action(async (options: { tasksDir?: string; json?: boolean }) => {
      // Only the task files are read: no database is opened.
      const catalog = await loadCatalogFrom(options.tasksDir);
      const tasks = summarizeTasks(catalog, systemClock, { upcoming: 3 });
      if (options.json) {
        console.log(JSON.stringify(tasks, null, 2));
        return;
      }
      console.log(
        formatTable(
          ["ID", "FILE", "SCHEDULE", "NEXT RUNS", "RETRY", "CONCURRENCY", "MAX DURATION"],
          tasks.map((t) => [t.id, t.file, schedule(t), t.schedule ? t.schedule.next.map(minute).join(", ") : "-", retry(t), concurrency(t), t.maxDurationSeconds ? `${t.maxDurationSeconds} s` : "-"]),
        ),
      );
      for (const problem of catalog.problems) console.error(`warning: ${problem}`);
    });
}

/** Cron slots fall on whole minutes: 2026-12-03T08:00Z, still ISO 8601, a third shorter. */
const minute = (d: Date) => d.toISOString().replace(/:00\.000Z$/, "Z");

function schedule(t: TaskSummary): string {
  return t.schedule ? `${t.schedule.cron} (${t.schedule.timezone})` : "-";
}

/** "3 attempts, 1.0 s ×2 up to 1 min 00 s" or "none". */
function retry(t: TaskSummary): string {
  const { maxAttempts = 1, minTimeoutInMs, factor, maxTimeoutInMs, randomize } = t.retry;
  if (maxAttempts <= 1) return t.retryIsImplicit ? "none (no policy set)" : "none";
  const backoff = minTimeoutInMs === undefined ? "" : `, ${formatMs(minTimeoutInMs)} ×${factor ?? 2}${maxTimeoutInMs === undefined ? "" : ` up to ${formatMs(maxTimeoutInMs)}`}${randomize ? " ±jitter" : ""}`;
  return `${maxAttempts} attempts${backoff}`;
}

function concurrency(t: TaskSummary): string {
  const parts: string[] = [];
  if (t.concurrency.total !== undefined) parts.push(`${t.concurrency.total} at once`);
  if (t.concurrency.perKey !== undefined) parts.push(`${t.concurrency.perKey} per key`);
  for (const l of t.concurrency.limits) parts.push(`${l.name}: ${l.total ?? "?"}${l.perKey === undefined ? "" : ` (${l.perKey} per key)`}`);
  return parts.length > 0 ? parts.join("; ") : "unlimited";
}
