import type { Transaction } from "kysely";
import { DomainError } from "@paycron/core";
import type { Database } from "./database.ts";
import type { Db } from "./pool.ts";

export type Tx = Transaction<Database>;

/**
 * Runs `fn` in a transaction, or inside the caller's when `db` already is one (kysely throws on a
 * nested `transaction()`). Work that must happen after commit goes into the task outbox, never
 * into a callback here.
 */
export async function withTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db as Tx);
  return db.transaction().execute(fn);
}

/**
 * Provider calls (Stripe, Resend, the task engine) must not run while a transaction holds locks:
 * they are slow, they cannot be rolled back, and they would run before the commit they depend on.
 */
export function assertNotInTransaction(db: Db, what: string): void {
  if (db.isTransaction) {
    throw new DomainError("IN_TRANSACTION", `${what} must not be called inside a database transaction`);
  }
}
