import { fileURLToPath } from "node:url";
import type { Db, TaskRun } from "@paycron/db";

export const FIXTURES_DIR = fileURLToPath(new URL("../fixtures/trigger/", import.meta.url));

export async function runsOf(db: Db, taskId: string): Promise<TaskRun[]> {
  return db.selectFrom("task_runs").selectAll().where("task_id", "=", taskId).orderBy("created_at").execute();
}

export { waitFor } from "@paycron/db/testing";
