import type { Command } from "commander";
import { migrate, migrationStatus } from "@paycron/db";
import { openDatabase } from "../database.ts";
import { readCliEnv } from "../env.ts";

export function registerMigrate(program: Command): void {
  program
    .command("migrate")
    .description("apply or roll back database migrations")
    .argument("<action>", "up (all pending), down (the last one) or status")
    .action(async (action: string) => {
      if (!["up", "down", "status"].includes(action)) throw new Error(`unknown action "${action}": use up, down or status`);
      const database = await openDatabase(readCliEnv());
      try {
        if (action === "status") {
          for (const m of await migrationStatus(database.db)) {
            console.log(`${m.executedAt ? "applied" : "pending"}  ${m.name}${m.executedAt ? `  ${m.executedAt.toISOString()}` : ""}`);
          }
          return;
        }
        const results = await migrate(database.db, action === "up" ? "latest" : "down");
        if (results.length === 0) console.log("nothing to do");
        for (const r of results) console.log(`${r.direction === "Up" ? "applied" : "rolled back"}  ${r.name}  ${r.status}`);
      } finally {
        await database.close();
      }
    });
}
