import type pg from "pg";

/**
 * Counts the jobs or runs an engine records as done, at the moment the statement recording them
 * returns from Postgres: no polling and no extra statement or trigger on the engine's side.
 * `records` matches the SQL text of that statement; its row count is the number recorded.
 * Both engines record completions with autocommit statements, so "returned" means committed
 * (flushed to the WAL with the default synchronous_commit).
 */
export class Completions {
  #count = 0;
  #lastAt = 0;
  #waiter: { target: number; resolve: (at: number) => void } | undefined;

  readonly what: string;
  readonly records: RegExp;

  constructor(what: string, records: RegExp) {
    this.what = what;
    this.records = records;
  }

  get count(): number {
    return this.#count;
  }

  /** Watches every connection of `pool`; call it before the pool's first connection. */
  observe(pool: pg.Pool): void {
    pool.on("connect", (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as { query: unknown }).query = (...args: unknown[]) => {
        const result = query(...args);
        const text = typeof args[0] === "string" ? args[0] : (args[0] as { text?: unknown } | null | undefined)?.text;
        if (typeof text === "string" && this.records.test(text) && result instanceof Promise) {
          result.then(
            (r: pg.QueryResult) => this.#add(r.rowCount ?? 0),
            () => {},
          );
        }
        return result;
      };
    });
  }

  #add(n: number): void {
    if (n === 0) return;
    this.#count += n;
    this.#lastAt = performance.now();
    if (this.#waiter && this.#count >= this.#waiter.target) {
      this.#waiter.resolve(this.#lastAt);
      this.#waiter = undefined;
    }
  }

  /** Resolves with the moment (performance.now()) the count reached `target`. */
  reach(target: number, timeoutMs = 120_000): Promise<number> {
    if (this.#count >= target) return Promise.resolve(this.#lastAt);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiter = undefined;
        reject(
          new Error(
            `${this.what}: ${this.#count} of ${target} completions seen after ${timeoutMs} ms; ` +
              `if the engine finished, its completion statement no longer matches ${this.records} (bench/support)`,
          ),
        );
      }, timeoutMs);
      this.#waiter = {
        target,
        resolve: (at) => {
          clearTimeout(timer);
          resolve(at);
        },
      };
    });
  }
}
