import type { Command } from "commander";
import { registerDev } from "./dev.ts";
import { registerMigrate } from "./migrate.ts";
import { registerRuns } from "./runs.ts";
import { registerSeed } from "./seed.ts";
import { registerTrigger } from "./trigger.ts";
import { registerWebhook } from "./webhook.ts";

/** One line per command module; each module adds its command (and subcommands) to the program. */
export function registerCommands(program: Command): void {
  registerDev(program);
  registerMigrate(program);
  registerSeed(program);
  registerRuns(program);
  registerTrigger(program);
  registerWebhook(program);
}
