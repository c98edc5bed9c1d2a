#!/usr/bin/env tsx
import { join } from "node:path";
import { Command, CommanderError } from "commander";
import { loadDotenv } from "./dotenv.ts";

// Before any module reads the environment: the commands are imported only after this.
loadDotenv(join(process.cwd(), ".env"));
const { registerCommands } = await import("./commands/index.ts");

const program = new Command("paycron")
  .description("Paycron: the billing task worker. Every command takes --help.")
  .showHelpAfterError()
  .exitOverride();

registerCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  console.error(`paycron: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
