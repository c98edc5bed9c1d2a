import type { Command } from "commander";
import { runDev } from "../dev.ts";
import { readCliEnv } from "../env.ts";

export function registerDev(program: Command): void {
  program
    .command("dev")
    .description("run the worker locally: Postgres (embedded unless DATABASE_URL), migrations, demo data, webhook app, dispatcher, worker, crons")
    .option("-p, --port <port>", "webhook app port (default: $PORT, else 3000)")
    .option("--no-seed", "do not insert the demo data")
    .action(async (options: { port?: string; seed: boolean }) => {
      const env = readCliEnv(options.port === undefined ? process.env : { ...process.env, PORT: options.port });
      await runDev(env, { seed: options.seed });
    });
}
