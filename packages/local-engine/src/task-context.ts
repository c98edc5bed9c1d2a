import type { TaskRun } from "@paycron/db";
import type { CatalogTask } from "@paycron/runtime/catalog";

/**
 * The `ctx` a task's run receives, shaped like Trigger.dev's TaskRunContext (v4: no
 * ctx.attempt.id/status). Local runs are in the DEVELOPMENT environment of a "local" project.
 */
export function buildTaskContext(task: CatalogTask, run: TaskRun) {
  const startedAt = run.started_at ?? run.created_at;
  return {
    task: { id: task.id, filePath: task.file },
    attempt: { number: run.attempt, startedAt },
    run: {
      id: run.id,
      tags: [] as string[],
      isTest: false,
      isReplay: false,
      createdAt: run.created_at,
      startedAt,
      idempotencyKey: run.idempotency_key ?? undefined,
      idempotencyKeyScope: "global" as const,
      maxAttempts: run.max_attempts,
      maxDuration: task.maxDurationSeconds,
      parentTaskRunId: run.parent_run_id ?? undefined,
    },
    queue: { id: task.queueName, name: task.queueName },
    environment: { id: "local", slug: "local", type: "DEVELOPMENT" as const },
    organization: { id: "local", slug: "local", name: "Local" },
    project: { id: "local", ref: "proj_paycron_local", slug: "paycron", name: "Paycron" },
    machine: { name: "micro" as const, cpu: 1, memory: 0.5, centsPerMs: 0 },
  };
}
