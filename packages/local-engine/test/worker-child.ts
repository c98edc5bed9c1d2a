import { silentLogger, systemClock } from "@paycron/core";
import { createDb } from "@paycron/db";
import { startLocalRuntime } from "@paycron/local-engine";
import { FIXTURES_DIR } from "../../../tests/support/task-fixtures.ts";

// A worker in its own process, for the crash test: prints its id once ready, then runs until killed.
const connectionString = process.argv[2]!;
const db = createDb({ connectionString, max: 5 });
const runtime = await startLocalRuntime({ clock: systemClock, connectionString, db, logger: silentLogger(), tasksDir: FIXTURES_DIR, leaseMs: 1_000, crons: false });
console.log(`ready ${runtime.workerId}`);
