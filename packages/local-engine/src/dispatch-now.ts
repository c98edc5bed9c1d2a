import type { Clock, Logger } from "@paycron/core";
import type { Db } from "@paycron/db";
import { dispatchDue, type DispatchResult, type TaskEngine } from "@paycron/runtime";
import { graphileLogger } from "./graphile-logger.ts";
import { ensureGraphileSchema } from "./graphile-schema.ts";

export interface DispatchNowDeps {
  db: Db;
  /** The same database as `db`: graphile's schema is installed over its own connection. */
  connectionString: string;
  clock: Clock;
  logger: Logger;
  engine: TaskEngine;
}

/**
 * Hands the given outbox rows, if due, to the engine now instead of waiting for a dispatcher,
 * so a caller outside any worker (the CLI) learns the run it made. On the local engine the run
 * row and its graphile job are created in one statement, which needs graphile's schema: a
 * database no worker has started on yet gets it here. A row a running dispatcher holds is
 * skipped (it is being dispatched anyway).
 */
export async function dispatchNow(deps: DispatchNowDeps, outboxIds: readonly string[]): Promise<DispatchResult> {
  if (deps.engine.kind === "local") await ensureGraphileSchema({ connectionString: deps.connectionString, logger: graphileLogger(deps.logger) });
  return dispatchDue({ db: deps.db, clock: deps.clock, logger: deps.logger, engine: deps.engine }, { ids: outboxIds });
}
