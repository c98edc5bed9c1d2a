import { createInterface } from "node:readline/promises";
import type { Command } from "commander";
import { migrate, migrationStatus } from "@paycron/db";
import { openDatabase } from "../database.ts";
import { readCliEnv } from "../env.ts";

const HELP = `
down rolls back the last applied migration, and with it the tables or columns it made and their
data (rolling back the first one drops every table). It asks first; without a terminal to ask on,
it needs --yes.
`;

export function registerMigrate(program: Command): void {
  program
    .command("migrate")
    .description("apply or roll back database migrations")
    .argument("<action>", "up (all pending), down (the last one) or status")
    .option("-y, --yes", "down: roll back without asking")
    .addHelpText("after", HELP)
    .action(async (action: string, options: { yes?: boolean }) => {
      if (!["up", "down", "status"].includes(action)) throw new Error(`unknown action "${action}": use up, down or status`);
      const database = await openDatabase(readCliEnv());
      try {
        if (action === "status") {
          for (const m of await migrationStatus(database.db)) {
            console.log(`${m.executedAt ? "applied" : "pending"}  ${m.name}${m.executedAt ? `  ${m.executedAt.toISOString()}` : ""}`);
          }
          return;
        }
        if (action === "down") {
          const last = (await migrationStatus(database.db)).filter((m) => m.executedAt).at(-1);
          if (!last) {
            console.log("nothing to do");
            return;
          }
          if (!options.yes && !(await confirm(`roll back ${last.name}? Its tables and columns are dropped with their data. [y/N] `))) {
            throw new Error(`migrate down would roll back ${last.name} and drop what it made, data included: pass --yes to do it`);
          }
        }
        const results = await migrate(database.db, action === "up" ? "latest" : "down");
        if (results.length === 0) console.log("nothing to do");
        for (const r of results) console.log(`${r.direction === "Up" ? "applied" : "rolled back"}  ${r.name}  ${r.status}`);
      } finally {
        await database.close();
      }
    });
}

/** Asks on the terminal; with no terminal (a script, CI) the answer is no. */
async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}
