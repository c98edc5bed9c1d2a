import { resolve } from "node:path";
import type { Command } from "commander";
import { createLogger, systemClock } from "@paycron/core";
import { withTransaction } from "@paycron/db";
import { dispatchDue, enqueueUnchecked } from "@paycron/runtime";
import { loadTaskCatalog } from "@paycron/runtime/catalog";
import { createEngine, startLocalRuntime } from "@paycron/local-engine";
import { openDatabase } from "../database.ts";
import { localProviders } from "../local-providers.ts";

import { readCliEnv } from "../env.ts";

interface TriggerOptions {
  key?: string;
  delay?: string;
  concurrencyKey?: string;
  wait?: boolean;
  timeout: string;
  tasksDir?: string;
}

/** Zod-style issues as "path: message" lines; anything else as its message. */
function describeInvalid(error: unknown): string {
  const issues = (error as { issues?: Array<{ path: PropertyKey[]; message: string }> }).issues;
  if (Array.isArray(issues)) return issues.map((i) => `  ${i.path.map(String).join(".") || "(payload)"}: ${i.message}`).join("\n");
  return `  ${error instanceof Error ? error.message : String(error)}`;
}

export function registerTrigger(program: Command): void {
  program
    .command("trigger")
    .description("enqueue one run of a task (validated against the task's schema)")
    .argument("<task-id>", "a task id, e.g. outbox-sweep")
    .argument("[payload]", "the payload as JSON", "{}")
    .option("--key <idempotency-key>", "one run per key while the key lives")
    .option("--delay <duration>", 'start no earlier than this from now, e.g. "10m"')
    .option("--concurrency-key <key>", "share the task's per-key concurrency limit with runs of this key")
    .option("--wait", "run it now on a local worker in this process and print its result")
    .option("--timeout <seconds>", "how long --wait waits", "120")
    .option("--tasks-dir <dir>", "task directory (default: trigger/)")
    .action(async (taskId: string, payloadText: string, options: TriggerOptions) => {
      const env = readCliEnv();
      if (options.wait && env.engine.kind !== "local") {
        throw new Error("--wait runs the task on the local engine; unset PAYCRON_ENGINE=trigger or drop --wait");
      }
      const tasksDir = options.tasksDir ? resolve(options.tasksDir) : undefined;
      const catalog = await loadTaskCatalog({ dir: tasksDir });
      if (!catalog.has(taskId)) {
        throw new Error(`unknown task "${taskId}". Known tasks: ${[...catalog.tasks.keys()].sort().join(", ")}`);
      }
      let payload: unknown;
      try {
        payload = JSON.parse(payloadText);
      } catch (error) {
        throw new Error(`the payload is not valid JSON: ${(error as Error).message}`, { cause: error });
      }
      const task = catalog.get(taskId);
      if (task.kind === "schedule") {
        throw new Error(`${taskId} is a scheduled task: its crons trigger it (or run its package function directly)`);
      }
      try {
        await task.parsePayload(payload);
      } catch (error) {
        throw new Error(`the payload does not match the schema of ${taskId}:\n${describeInvalid(error)}`, { cause: error });
      }

      const logger = createLogger({ name: "paycron-cli", level: env.LOG_LEVEL, destination: process.stderr });
      const database = await openDatabase(env);
      try {
        const enqueued = await withTransaction(database.db, (tx) =>
          enqueueUnchecked(tx, taskId, payload, {
            idempotencyKey: options.key,
            delay: options.delay,
            concurrencyKey: options.concurrencyKey,
            clock: systemClock,
          }),
        );
        if (!enqueued.created) console.error(`idempotency key "${options.key}" is taken: showing the existing run`);
        if (!options.wait) {
          if (env.engine.kind === "trigger") {
            await dispatchDue({ db: database.db, clock: systemClock, logger, engine: createEngine(env.engine) });
          }
          console.log(`enqueued ${taskId} (outbox ${enqueued.id})`);
          return;
        }
        const runtime = await startLocalRuntime({ clock: systemClock, providers: localProviders(env), connectionString: database.url, db: database.db, logger, crons: false, tasksDir });
        try {
          const deadline = performance.now() + Number(options.timeout) * 1_000;
          for (;;) {
            const run = await database.db
              .selectFrom("task_runs")
              .selectAll()
              .where("outbox_id", "=", enqueued.id)
              .executeTakeFirst();
            if (run && (run.status === "completed" || run.status === "failed" || run.status === "canceled")) {
              console.log(JSON.stringify({ runId: run.id, status: run.status, attempt: run.attempt, output: run.output, error: run.error }, null, 2));
              if (run.status !== "completed") process.exitCode = 1;
              return;
            }
            if (performance.now() > deadline) throw new Error(`run of ${taskId} not finished after ${options.timeout}s (status ${run?.status ?? "not dispatched"})`);
            await new Promise((r) => setTimeout(r, 50));
          }
        } finally {
          await runtime.stop();
        }
      } finally {
        await database.close();
      }
    });
}
