import type pg from "pg";

/**
 * Counts the statements a side sends on its Db pool (BEGIN and COMMIT included), and, on the
 * engine's, how many concurrency-slot claims came back empty (a run requeued because its limit
 * was full). graphile-worker's own pool is not counted.
 */
export class StatementCounter {
  total = 0;
  slotMisses = 0;
  slotClaims = 0;
  #on = false;

  start(): void {
    [this.total, this.slotMisses, this.slotClaims, this.#on] = [0, 0, 0, true];
  }

  stop(): void {
    this.#on = false;
  }

  /** Call before the pool's first connection. */
  observe(pool: pg.Pool): void {
    pool.on("connect", (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as { query: unknown }).query = (...args: unknown[]) => {
        const result = query(...args);
        if (!this.#on) return result;
        this.total += 1;
        const text = typeof args[0] === "string" ? args[0] : (args[0] as { text?: unknown } | null | undefined)?.text;
        if (typeof text === "string" && /insert into task_concurrency_slots/.test(text) && result instanceof Promise) {
          this.slotClaims += 1;
          result.then(
            (r: pg.QueryResult) => void (r.rowCount === 0 && (this.slotMisses += 1)),
            () => {},
          );
        }
        return result;
      };
    });
  }
}
