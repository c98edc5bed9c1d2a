import type { Command } from "commander";
import { systemClock } from "@paycron/core";
import { migrate } from "@paycron/db";
import { openDatabase } from "../database.ts";
import { readCliEnv } from "../env.ts";
import { seedDemo } from "../seed.ts";

export function registerSeed(program: Command): void {
  program
    .command("seed")
    .description("insert the demo organization, prices, customers and subscriptions (idempotent)")
    .action(async () => {
      const database = await openDatabase(readCliEnv());
      try {
        await migrate(database.db);
        const result = await seedDemo(database.db, systemClock);
        console.log(result.created === 0 ? "demo data already present" : `seeded ${result.created} rows (organization ${result.organizationId})`);
      } finally {
        await database.close();
      }
    });
}
