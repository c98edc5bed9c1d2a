import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { registerDev } from "./dev.ts";
import { registerInvoice } from "./invoice.ts";
import { registerMigrate } from "./migrate.ts";
import { registerRuns } from "./runs.ts";
import { registerSeed } from "./seed.ts";
import { registerSimulate } from "./simulate.ts";
import { registerStripeEmulator } from "./stripe-emulator.ts";
import { registerSubscribe } from "./subscribe.ts";
import { registerTasks } from "./tasks.ts";
import { registerTrigger } from "./trigger.ts";
import { registerWebhook } from "./webhook.ts";

/** One line per command module; each module adds its command (and subcommands) to the program. */
export function registerCommands(program: Command): void {
  program.version(cliVersion(), "-V, --version", "print the CLI's version");
  // A subcommand's options are its own (`runs show <id> --json` is show's --json, not runs'):
  // each command leaves the arguments after its subcommand's name to that subcommand.
  program.enablePositionalOptions();
  registerDev(program);
  registerMigrate(program);
  registerSeed(program);
  registerTasks(program);
  registerRuns(program);
  registerTrigger(program);
  registerSubscribe(program);
  registerInvoice(program);
  registerWebhook(program);
  registerStripeEmulator(program);
  registerSimulate(program);
}

function cliVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return `paycron ${manifest.version} (node ${process.versions.node})`;
}
