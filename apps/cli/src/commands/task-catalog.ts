import { existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { DEFAULT_TASKS_DIR, loadTaskCatalog, type TaskCatalog } from "@paycron/runtime/catalog";

/**
 * The catalog of `--tasks-dir` (trigger/ by default), with what is wrong with the directory said
 * up front: the catalog would otherwise fail on an import deep inside the loader.
 */
export async function loadCatalogFrom(tasksDir: string | undefined): Promise<TaskCatalog> {
  const dir = tasksDir ? resolve(tasksDir) : DEFAULT_TASKS_DIR;
  if (!existsSync(dir)) throw new Error(`--tasks-dir ${tasksDir}: no such directory`);
  if (!statSync(dir).isDirectory()) throw new Error(`--tasks-dir ${tasksDir}: not a directory`);
  // Retries and maxDuration come from the trigger.config.ts beside the task directory, as on Trigger.dev.
  const config = resolve(dirname(dir), "trigger.config.ts");
  if (!existsSync(config)) throw new Error(`--tasks-dir ${tasksDir}: no trigger.config.ts next to it (looked for ${config})`);
  return loadTaskCatalog({ dir });
}

export function knownTasks(catalog: TaskCatalog): string {
  return [...catalog.tasks.keys()].sort().join(", ");
}
