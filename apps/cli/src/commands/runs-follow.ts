import { setTimeout as sleep } from "node:timers/promises";
import type { Db, TaskRunError } from "@paycron/db";
import { followRuns, type FollowFilter, type RunEvent } from "@paycron/local-engine";
import { formatMs } from "../format-table.ts";

const POLL_MS = 250;

/** Prints a line per run start and end until SIGINT or SIGTERM, then returns (exit code 0). */
export async function followRunsUntilStopped(db: Db, filter: FollowFilter): Promise<void> {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    const follower = await followRuns(db, filter);
    // On stderr, so stdout holds only run lines; it also tells a script when following began.
    console.error(`following runs from ${follower.since.toISOString()} (Ctrl-C stops)`);
    while (!stop.signal.aborted) {
      for (const event of await follower.poll()) console.log(eventLine(event));
      await sleep(POLL_MS, undefined, { signal: stop.signal }).catch(() => {});
    }
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

function eventLine(event: RunEvent): string {
  const { run } = event;
  const head = `${event.at.toISOString()}  ${(event.kind === "ended" ? run.status : event.kind).padEnd(9)}  ${run.id}  ${run.task_id}`;
  const error = run.error as TaskRunError | null;
  const failure = error ? `${error.name}: ${error.message.split("\n", 1)[0]}` : "";
  const attempt = `attempt ${event.attempt}/${run.max_attempts}`;
  if (event.kind === "started") return `${head}  ${attempt}`;
  if (event.kind === "retrying") return `${head}  ${attempt} failed (${failure}); next at ${run.run_at.toISOString()}`;
  if (run.status === "completed") {
    // started_at is the first attempt's: after a retry the time covers every attempt and the waits.
    const took = run.started_at ? `  ${formatMs(event.at.getTime() - run.started_at.getTime())}${event.attempt > 1 ? " from the first attempt" : ""}` : "";
    return `${head}  ${attempt}${took}`;
  }
  if (run.status === "failed") return `${head}  ${attempt}  ${failure}`;
  return head;
}
