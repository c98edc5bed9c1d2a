import { createHash } from "node:crypto";
import type pg from "pg";

/** Statements with more parameters than this (long `in (...)` lists of batches) are not named. */
const MAX_PREPARED_PARAMETERS = 32;

/** Postgres's answer to a prepared `select *` whose table gained or lost columns since it was prepared. */
const RESULT_TYPE_CHANGED = "cached plan must not change result type";

/*
 * Sends every statement that has parameters as a named (prepared) statement: Postgres parses and
 * plans it once per connection instead of on every execution, which halves its CPU on billing's
 * hot path (`pnpm bench billing`). Kysely sends the same text for the same query shape, so the
 * number of statements a connection keeps is bounded by the shapes the code has; long parameter
 * lists, whose text varies with their length, are left unnamed.
 *
 * A migration that changes a table's columns while a worker runs (a deploy) makes its prepared
 * `select *` fail once on each connection with "cached plan must not change result type". The
 * statement is then given a new name, so its next use prepares it afresh; outside a transaction
 * the query is retried at once, inside one the error stands (the transaction is aborted) and the
 * caller's retry succeeds.
 */
export function usePreparedStatements(client: pg.PoolClient | pg.Client): void {
  const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
  const generation = new Map<string, number>();
  let inTransaction = false;
  const named = (text: string, values: unknown[]) => ({ name: `paycron_${hashOf(text)}_${generation.get(text) ?? 0}`, text, values });

  (client as { query: unknown }).query = (...args: unknown[]): unknown => {
    const [text, values] = args;
    if (typeof text === "string") inTransaction = transactionStateAfter(text, inTransaction);
    if (typeof text !== "string" || !Array.isArray(values) || values.length === 0 || values.length > MAX_PREPARED_PARAMETERS || args.length > 2) {
      return query(...args);
    }
    return query(named(text, values)).catch((error: unknown) => {
      if (!(error instanceof Error) || !error.message.includes(RESULT_TYPE_CHANGED)) throw error;
      generation.set(text, (generation.get(text) ?? 0) + 1);
      if (inTransaction) throw error;
      return query(named(text, values));
    });
  };
}

function transactionStateAfter(text: string, inTransaction: boolean): boolean {
  const head = text.trimStart().slice(0, 20).toLowerCase();
  if (head.startsWith("begin") || head.startsWith("start transaction")) return true;
  if (head.startsWith("rollback to")) return inTransaction;
  if (head.startsWith("commit") || head.startsWith("rollback") || head.startsWith("end")) return false;
  return inTransaction;
}

/** Statement texts are few (one per query shape), hashing one on every execution is not. */
const hashes = new Map<string, string>();

function hashOf(text: string): string {
  let hash = hashes.get(text);
  if (hash === undefined) {
    hash = createHash("sha1").update(text).digest("hex").slice(0, 24);
    hashes.set(text, hash);
  }
  return hash;
}
