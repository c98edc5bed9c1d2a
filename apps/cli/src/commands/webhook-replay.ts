import type { Command } from "commander";
import { createLogger, logOutputFromEnv, systemClock } from "@paycron/core";
import { replayWebhookEvents, type ReplayResult } from "@paycron/inbox";
import { dispatchDue, triggerEngine } from "@paycron/runtime";
import { openDatabase } from "../database.ts";
import { readCliEnv } from "../env.ts";

interface ReplayOptions {
  type?: string;
  since?: string;
  provider?: string;
}

const EXAMPLES = `
Only unhandled events (their task ran, no handler acted on them yet) and failed ones are replayed:
each moves back to received and gets a new run of its task, with the outbox key
<provider>:<event id>:replay:<n>. Processed, ignored and in-flight (received) events are left alone.
Beside a running \`pnpm dev\`, the replay goes into its database and its worker runs the new runs.

Examples:
  pnpm paycron webhook replay evt_1QxYzAbCdEfGh
  pnpm paycron webhook replay 0b5c1d9e-3f6a-4c1e-9d2b-7a8e5f4c3b21
  pnpm paycron webhook replay --type payment_intent.succeeded --since 2026-12-01
  pnpm paycron webhook replay --type customers:INSERT --since 2026-12-01T09:00Z --provider supabase
`;

export function registerWebhookReplay(webhook: Command): void {
  webhook
    .command("replay")
    .description("run stored events through their task again, e.g. once their handler exists")
    .argument("[id]", "a webhook_events id, or the provider's event id (Stripe evt_…)")
    .option("--type <type>", "every event of this type (Stripe type or Supabase table:TYPE)…")
    .option("--since <date>", "…received at or after this: YYYY-MM-DD (midnight UTC) or an ISO time with a zone")
    .option("--provider <provider>", "stripe or supabase (default: both)")
    .addHelpText("after", EXAMPLES)
    .action(async (id: string | undefined, options: ReplayOptions) => {
      const env = readCliEnv();
      const logger = createLogger({ name: "paycron-cli", level: env.LOG_LEVEL, destination: process.stderr, ...logOutputFromEnv(process.env, process.stderr) });
      const database = await openDatabase(env);
      try {
        const result = await replayWebhookEvents({ db: database.db, clock: systemClock, logger }, { id, ...options });
        for (const r of result.replayed) {
          console.log(`${r.webhookEventId}  ${r.provider} ${r.providerEventId}  ${r.type}  → ${r.taskId}  outbox ${r.outboxId}  (replay ${r.replay})`);
        }
        const skipped = describeSkipped(result.skipped);
        if (result.replayed.length === 0) {
          const which = [options.provider, options.type].filter(Boolean).join(" ");
          console.log(`nothing to replay: no unhandled or failed ${which} events since ${options.since}${skipped ? ` (left alone: ${skipped})` : ""}`);
          return;
        }
        console.log(`replayed ${result.replayed.length} event${result.replayed.length === 1 ? "" : "s"}${skipped ? `; left alone: ${skipped}` : ""}`);
        if (env.engine.kind === "trigger") {
          // A deployed dispatcher would pick the rows up too; handing them over now saves the wait.
          const engine = triggerEngine(env.engine);
          await dispatchDue({ db: database.db, clock: systemClock, logger, engine }, { ids: result.replayed.map((r) => r.outboxId) });
        }
      } finally {
        await database.close();
      }
    });
}

const WHY: Record<string, string> = { received: "in flight", processed: "already acted on" };

function describeSkipped(skipped: ReplayResult["skipped"]): string {
  return Object.entries(skipped)
    .map(([status, n]) => `${n} ${status}${WHY[status] ? ` (${WHY[status]})` : ""}`)
    .join(", ");
}
