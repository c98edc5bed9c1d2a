import type { Command } from "commander";
import { createLogger, logOutputFromEnv, systemClock } from "@paycron/core";
import { withTransaction } from "@paycron/db";
import { enqueueUnchecked, parseDuration } from "@paycron/runtime";
import { startLocalRuntime } from "@paycron/local-engine";
import { openDatabase } from "../database.ts";
import { localProviders } from "../local-providers.ts";
import { readCliEnv } from "../env.ts";
import { dispatchAndDescribe } from "./run-outcome.ts";
import { knownTasks, loadCatalogFrom } from "./task-catalog.ts";
import { checkTriggerPayload } from "@paycron/runtime/catalog";

interface TriggerOptions {
  key?: string;
  delay?: string;
  concurrencyKey?: string;
  wait?: boolean;
  timeout: string;
  tasksDir?: string;
}

const EXAMPLES = `
Without --wait it prints the run it made, or found under the key: run <id> new|existing <task>.
A delayed run is not dispatched until it is due; until then it is named by its outbox id
(delayed <id> …), which runs show and runs cancel take. Scheduled tasks are started by their crons,
not by trigger; \`paycron tasks\` lists every task and its schedule.

Examples:
  pnpm paycron trigger stripe-payment-intent-succeeded '{"webhookEventId":"0b5c1d9e-3f6a-4c1e-9d2b-7a8e5f4c3b21"}'
  pnpm paycron trigger supabase-customers-insert '{"webhookEventId":"5d3c9a1e-7b2f-4e8a-9c6d-1f0e2b3a4c5d"}' --key customers-insert-1 --delay 10m
  pnpm paycron trigger stripe-charge-refunded '{"webhookEventId":"9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b"}' --wait --timeout 30
(webhookEventId: the id of a stored webhook event, webhook_events.id)
`;

/** Seconds as a positive number: 0 would give up before starting, and "x" would never time out. */
function parseTimeout(text: string): number {
  const seconds = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || !(seconds > 0)) throw new Error(`--timeout must be a positive number of seconds, got "${text}"`);
  return seconds;
}

function checkDelay(text: string): void {
  try {
    parseDuration(text);
  } catch (error) {
    throw new Error(`--delay: ${(error as Error).message}`, { cause: error });
  }
}

export function registerTrigger(program: Command): void {
  program
    .command("trigger")
    .description("enqueue one run of a task (validated against the task's schema)")
    .argument("<task-id>", "a task id (paycron tasks lists them)")
    .argument("[payload]", "the payload as JSON", "{}")
    .option("--key <idempotency-key>", "one run per key while the key lives")
    .option("--delay <duration>", 'start no earlier than this from now, e.g. "10m"')
    .option("--concurrency-key <key>", "share the task's per-key concurrency limit with runs of this key")
    .option("--wait", "run it now on a local worker in this process and print its result")
    .option("--timeout <seconds>", "how long --wait waits", "120")
    .option("--tasks-dir <dir>", "task directory (default: trigger/)")
    .addHelpText("after", EXAMPLES)
    .action(async (taskId: string, payloadText: string, options: TriggerOptions) => {
      const env = readCliEnv();
      if (options.wait && env.engine.kind !== "local") {
        throw new Error("--wait runs the task on the local engine; unset PAYCRON_ENGINE=trigger or drop --wait");
      }
      const timeoutSeconds = parseTimeout(options.timeout);
      if (options.delay !== undefined) checkDelay(options.delay);
      const catalog = await loadCatalogFrom(options.tasksDir);
      const tasksDir = catalog.dir;
      if (!catalog.has(taskId)) throw new Error(`unknown task "${taskId}". Known tasks: ${knownTasks(catalog)}`);
      let payload: unknown;
      try {
        payload = JSON.parse(payloadText);
      } catch (error) {
        throw new Error(`the payload is not valid JSON: ${(error as Error).message}`, { cause: error });
      }
      // The same check as the dashboard's trigger form: a scheduled task throws, schema issues come back.
      const checked = await checkTriggerPayload(catalog, taskId, payload);
      if (!checked.ok) {
        const lines = checked.issues.map((i) => `  ${i.path.map(String).join(".") || "(payload)"}: ${i.message}`).join("\n");
        throw new Error(`the payload does not match the schema of ${taskId}:\n${lines}`);
      }

      const logger = createLogger({ name: "paycron-cli", level: env.LOG_LEVEL, destination: process.stderr, ...logOutputFromEnv(process.env, process.stderr) });
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
        if (!options.wait) {
          console.log(await dispatchAndDescribe({ database, env, logger }, enqueued, taskId));
          return;
        }
        if (!enqueued.created) console.error(`idempotency key "${options.key}" is taken: waiting for the run it already has`);
        const runtime = await startLocalRuntime({ clock: systemClock, providers: localProviders(env, { db: database.db, logger }), connectionString: database.url, db: database.db, logger, crons: false, tasksDir });
        try {
          const deadline = performance.now() + timeoutSeconds * 1_000;
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
