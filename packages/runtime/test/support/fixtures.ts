import { fileURLToPath } from "node:url";
import type { Db, TaskRun } from "@paycron/db";

export const FIXTURES_DIR = fileURLToPath(new URL("../fixtures/trigger/", import.meta.url));

export async function runsOf(db: Db, taskId: string): Promise<TaskRun[]> {
  return db.selectFrom("task_runs").selectAll().where("task_id", "=", taskId).orderBy("created_at").execute();
}

/** Polls `check` until it returns a value (not undefined/false) or the timeout passes. */
export async function waitFor<T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
