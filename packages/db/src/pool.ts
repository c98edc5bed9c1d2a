import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { Database } from "./database.ts";
import { usePreparedStatements } from "./prepared-statements.ts";

export type Db = Kysely<Database>;

const INT8_OID = 20;

/*
 * Money is bigint in Postgres and a number in TypeScript. Every amount this system handles fits
 * in 2^53 minor units; one that does not is a corrupt row, and we refuse to round it silently.
 */
function parseInt8(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`bigint ${value} is outside the safe integer range`);
  return n;
}

const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8_OID ? parseInt8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export interface CreatePoolOptions {
  connectionString: string;
  max?: number;
  applicationName?: string;
  onError?: (error: Error) => void;
  /** Send statements with parameters as prepared statements (default true; see prepared-statements.ts). */
  preparedStatements?: boolean;
}

/**
 * A pg pool with error handlers on the pool and on every client: an idle connection that the
 * server drops (restart, failover) must not become an unhandled 'error' event that kills the process.
 */
export function createPool(options: CreatePoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? "paycron",
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 10_000,
    types,
  });
  const onError = options.onError ?? (() => {});
  pool.on("error", onError);
  pool.on("connect", (client) => client.on("error", onError));
  if (options.preparedStatements !== false) pool.on("connect", (client) => usePreparedStatements(client));
  return pool;
}

export function createDb(poolOrOptions: pg.Pool | CreatePoolOptions): Db {
  const pool = poolOrOptions instanceof pg.Pool ? poolOrOptions : createPool(poolOrOptions);
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
