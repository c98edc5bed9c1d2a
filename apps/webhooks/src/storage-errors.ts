import { isDomainError } from "@paycron/core";

/**
 * What a failure of the store step says, which decides the answer (error-status.ts):
 * - "payload": the database will never hold this payload; retrying the same bytes cannot help.
 * - "unavailable": the database cannot take the write now but can later.
 * - "ours": anything else, a fault in our code or SQL, which a 503 would hide as an outage.
 */
export type StorageFailure = "payload" | "unavailable" | "ours";

/*
 * Postgres SQLSTATE classes (errcodes appendix of the Postgres manual). About the payload:
 * 22 data exception (a value jsonb refuses, e.g. an unsupported Unicode escape) and
 * 54 program limit exceeded (a document too large or too deep for jsonb).
 */
const PAYLOAD_CLASSES = new Set(["22", "54"]);

/*
 * The server cannot take the write now: 08 connection exception, 40 transaction rollback
 * (serialization failure, deadlock), 53 insufficient resources (disk full, too many connections),
 * 57 operator intervention (shutdown, restart, statement timeout), 58 system error (I/O).
 * Single codes: 25006, a write that reached a read-only server (failover under way); 55P03, a lock
 * not granted in time; P0001, a trigger or function that raised on purpose (a write guard during
 * maintenance, say): the database's refusal, not one of the input bytes nor of our code.
 */
const UNAVAILABLE_CLASSES = new Set(["08", "40", "53", "57", "58"]);
const UNAVAILABLE_CODES = new Set(["25006", "55P03", "P0001"]);

/** Node's socket errors: Postgres could not be reached, or the connection to it broke. */
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ECONNABORTED", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);

/** node-postgres and pg-pool report a lost or unobtainable connection as plain Errors, known only by their messages. */
const CONNECTION_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect$/,
  /^Client has encountered a connection error and is not queryable$/,
  /^Client was closed and is not queryable$/,
  /^Cannot use a pool after calling end on the pool$/,
  /^Query read timeout$/,
];

/** Wrapped errors are unwrapped this far at most (a cause chain could, in principle, loop). */
const MAX_UNWRAP = 8;

export function storageFailure(error: unknown): StorageFailure {
  if (isDomainError(error, "webhook_payload_unstorable")) return "payload";
  const sqlState = sqlStateOf(error);
  if (sqlState !== undefined && PAYLOAD_CLASSES.has(sqlState.slice(0, 2))) return "payload";
  return isStorageUnavailable(error) ? "unavailable" : "ours";
}

/**
 * True only for a database that is down, unreachable or refusing writes for now. Looks through
 * `cause` chains and AggregateErrors (a connect that tried IPv6 and IPv4 reports both), iteratively.
 */
export function isStorageUnavailable(error: unknown): boolean {
  const pending: unknown[] = [error];
  for (let seen = 0; pending.length > 0 && seen < MAX_UNWRAP; seen++) {
    const e = pending.shift();
    if (!(e instanceof Error)) continue;
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && NETWORK_CODES.has(code)) return true;
    const sqlState = sqlStateOf(e);
    if (sqlState !== undefined && (UNAVAILABLE_CLASSES.has(sqlState.slice(0, 2)) || UNAVAILABLE_CODES.has(sqlState))) return true;
    if (sqlState === undefined && CONNECTION_MESSAGES.some((m) => m.test(e.message))) return true;
    if (e instanceof AggregateError) pending.push(...(e.errors as unknown[]));
    if (e.cause !== undefined) pending.push(e.cause);
  }
  return false;
}

/** The five-character SQLSTATE of an error Postgres reported, if it is one. */
function sqlStateOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) && !NETWORK_CODES.has(code) ? code : undefined;
}
