import type { Command } from "commander";
import { systemClock } from "@paycron/core";
import { cancelRun } from "@paycron/local-engine";
import { openDatabase } from "../database.ts";
import { readCliEnv } from "../env.ts";

const HELP = `
Only a run that has not started can be canceled: queued, delayed (give the id trigger printed) or
waiting for its next attempt. An executing or finished run is refused, saying why.
A canceled run keeps its idempotency key until the key expires, as on Trigger.dev: triggering
with the same key again returns the canceled run. Use another key to run the work after all.
`;

export function registerRunsCancel(runs: Command): void {
  runs
    .command("cancel")
    .description("cancel a run that has not started (queued, delayed, or waiting to retry)")
    .argument("<id>", "a run id, or the outbox id a delayed trigger printed")
    .addHelpText("after", HELP)
    .action(async (id: string) => {
      const database = await openDatabase(readCliEnv());
      try {
        const outcome = await cancelRun({ db: database.db, clock: systemClock }, id);
        if (!outcome.canceled) throw new Error(`run ${outcome.runId} (${outcome.taskId}) was not canceled: ${outcome.reason}`);
        console.log(`canceled run ${outcome.runId} ${outcome.taskId} (was ${outcome.was})`);
      } finally {
        await database.close();
      }
    });
}
