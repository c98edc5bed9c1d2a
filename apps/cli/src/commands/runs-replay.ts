import type { Command } from "commander";
import { createLogger, logOutputFromEnv, systemClock } from "@paycron/core";
import { replayRun } from "@paycron/local-engine";
import { openDatabase } from "../database.ts";
import { readCliEnv } from "../env.ts";
import { dispatchAndDescribe } from "./run-outcome.ts";

export function registerRunsReplay(runs: Command): void {
  runs
    .command("replay")
    .description("run a task again with the same payload: a new run (new idempotency key) that records which run it replays")
    .argument("<id>", "the run to replay")
    .action(async (id: string) => {
      const env = readCliEnv();
      const logger = createLogger({ name: "paycron-cli", level: env.LOG_LEVEL, destination: process.stderr, ...logOutputFromEnv(process.env, process.stderr) });
      const database = await openDatabase(env);
      try {
        const replayed = await replayRun({ db: database.db, clock: systemClock }, id);
        const outcome = await dispatchAndDescribe({ database, env, logger }, { id: replayed.outboxId, created: true }, replayed.taskId);
        console.log(`${outcome} (replay of ${replayed.replayOf})`);
      } finally {
        await database.close();
      }
    });
}
