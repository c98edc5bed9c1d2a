import type { Command } from "commander";
import { parseSimulationOptions, SimulationOptionsError, type RawSimulationOptions } from "../simulate/options.ts";
import { formatReport, reportPasses } from "../simulate/report.ts";
import { runSimulation } from "../simulate/run-simulation.ts";

const HELP = `
Bills a simulated population for months of simulated time, then checks every invariant of
DESIGN.md. The real tasks run on the local engine against the Stripe emulator (through the real
SDK and the real webhook app) while a test clock advances hour by hour, firing hourly-cron every
hour and daily-cron every midnight UTC. Customers sign up over the first four weeks (monthly,
yearly, weekly and usage plans); a share of them get cards that decline and fix them, or not,
during dunning; some pay by US bank account. Exit 0 when every invariant holds, 1 when one fails,
2 for bad options. Same seed, same report (wall time aside). See docs/simulate.md.

Examples:
  pnpm paycron simulate --customers 200 --months 12 --decline-rate 0.1 --seed 42
  pnpm paycron simulate --customers 50 --months 3 --decline-rate 0.2 --seed 7 --json
  pnpm paycron simulate --customers 100 --months 6 --decline-rate 0.1 --seed 1 --chaos
  pnpm paycron simulate --customers 20 --months 2 --decline-rate 0.1 --seed 3 --database-url postgres://localhost/paycron_sim
`;

/** Bad options exit 2 (as a usage error); a failed invariant exits 1. */
const USAGE_EXIT = 2;

export function registerSimulate(program: Command): void {
  program
    .command("simulate")
    .description("bill simulated customers for months of simulated time and check every invariant")
    .option("--customers <n>", "how many customers sign up (1-100000)")
    .option("--months <n>", "simulated months (1-120)")
    .option("--decline-rate <r>", "fraction of customers whose card declines (0-1)")
    .option("--seed <s>", "the scenario's seed (0-4294967295): same seed, same report")
    .option("--database-url <url>", "run in this (empty) Postgres, migrated first, and leave the data; default: a temporary embedded one")
    .option("--json", "print the report as JSON")
    .option("--chaos", "SIGKILL and restart the worker at random moments and inject Stripe faults (5xx, dropped connections)")
    .addHelpText("after", HELP)
    .action(async (raw: RawSimulationOptions & { json?: boolean }, command: Command) => {
      let options;
      try {
        options = parseSimulationOptions(raw);
      } catch (error) {
        if (error instanceof SimulationOptionsError) command.error(`error: ${error.message}`, { exitCode: USAGE_EXIT });
        throw error;
      }
      let report;
      try {
        report = await runSimulation(options);
      } catch (error) {
        if (error instanceof SimulationOptionsError) command.error(`error: ${error.message}`, { exitCode: USAGE_EXIT });
        throw error;
      }
      console.log(raw.json ? JSON.stringify(report, null, 2) : formatReport(report));
      if (options.databaseUrl && !raw.json) console.log(`\nThe data is left in ${options.databaseUrl.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@")}.`);
      process.exitCode = reportPasses(report) ? 0 : 1;
    });
}
