import { AsyncLocalStorage } from "node:async_hooks";
import { afterCommit, type Tx } from "@paycron/db";

/**
 * The outbox rows one task run created, so that the run hands them to the engine itself right
 * after they commit, instead of leaving them to a dispatcher that a Trigger.dev worker does not
 * run (the outbox-sweep cron stays the backstop).
 */
export interface RunOutbox {
  /** Created rows not yet handed over. */
  pending: Set<string>;
  /** Hands the given committed rows to the engine; must not throw. */
  dispatch(ids: string[]): Promise<void>;
  /** Dispatches started after a commit, awaited before the run ends. */
  inFlight: Set<Promise<void>>;
  byTx: WeakMap<Tx, string[]>;
}

export function createRunOutbox(dispatch: (ids: string[]) => Promise<void>): RunOutbox {
  return { pending: new Set(), dispatch, inFlight: new Set(), byTx: new WeakMap() };
}

const storage = new AsyncLocalStorage<RunOutbox>();

export function withRunOutbox<T>(outbox: RunOutbox, fn: () => Promise<T>): Promise<T> {
  return storage.run(outbox, fn);
}

/** Called by enqueue with the rows it created in `tx`: one dispatch per committed transaction. */
export function noteEnqueued(tx: Tx, ids: string[]): void {
  const outbox = storage.getStore();
  if (!outbox || ids.length === 0) return;
  let batch = outbox.byTx.get(tx);
  if (!batch) {
    const created: string[] = [];
    batch = created;
    outbox.byTx.set(tx, created);
    afterCommit(tx, () => {
      const due = created.filter((id) => outbox.pending.delete(id));
      if (due.length === 0) return;
      const sent = outbox.dispatch(due).finally(() => outbox.inFlight.delete(sent));
      outbox.inFlight.add(sent);
    });
  }
  for (const id of ids) {
    batch.push(id);
    outbox.pending.add(id);
  }
}

/** At the end of a run: rows whose transaction gave no commit hook (or that await their dispatch). */
export async function flushRunOutbox(outbox: RunOutbox): Promise<void> {
  const rest = [...outbox.pending];
  outbox.pending.clear();
  if (rest.length > 0) await outbox.dispatch(rest);
  await Promise.all(outbox.inFlight);
}
