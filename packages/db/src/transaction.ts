import type { Transaction } from "kysely";
import { DomainError } from "@paycron/core";
import type { Database } from "./database.ts";
import type { Db } from "./pool.ts";

export type Tx = Transaction<Database>;

const commitHooks = new WeakMap<Tx, Array<() => void>>();

/**
 * Runs `fn` in a transaction, or inside the caller's when `db` already is one (kysely throws on a
 * nested `transaction()`). Work that must happen after commit goes into the task outbox; the
 * hooks of afterCommit() only wake whoever hands that work on.
 */
export async function withTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db as Tx);
  const hooks: Array<() => void> = [];
  const result = await db.transaction().execute((tx) => {
    commitHooks.set(tx, hooks);
    return fn(tx);
  });
  for (const hook of hooks) hook();
  return result;
}

/**
 * Calls `hook` once the withTransaction() that opened `tx` has committed (never after a rollback).
 * Returns false for a transaction withTransaction() did not open: the caller must not count on it.
 * Hooks must not throw: they are a nudge, and the outbox row they point at is the durable record.
 */
export function afterCommit(tx: Tx, hook: () => void): boolean {
  const hooks = commitHooks.get(tx);
  if (!hooks) return false;
  hooks.push(hook);
  return true;
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
