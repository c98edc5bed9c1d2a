export interface GroupCommitOptions<In, Out> {
  /** Most items per batch. */
  maxSize: number;
  /** Batches in flight at once; when each is a transaction, keep it below the pool size. */
  maxInFlight: number;
  /**
   * Hold the first item of an idle queue until the end of the tick, so that the calls of that tick
   * go out together. Without it, an item that finds a free slot goes out at once, alone: a quiet
   * system pays no waiting.
   */
  joinTick?: boolean;
  /**
   * Writes one item on its own. With it, a batch of one goes through here, and a batch that fails
   * is written again item by item, so a failure reaches only the callers it concerns. Without it,
   * a failing batch fails every caller in it.
   */
  writeOne?: (item: In) => Promise<Out>;
}

interface Pending<In, Out> {
  item: In;
  resolve(result: Out): void;
  reject(error: unknown): void;
}

/**
 * Group commit: items that arrive while `maxInFlight` batches are out queue up, and the next free
 * slot writes up to `maxSize` of them with one `writeMany` (one statement, or one transaction),
 * which returns one result per item, in order. A caller hears back only once the write that
 * carried its item has resolved, so "resolved" means "committed". Per-statement cost, not rows,
 * is what limits a small box: under load it is paid once per batch instead of once per item.
 */
export function createGroupCommit<In, Out>(writeMany: (items: In[]) => Promise<Out[]>, options: GroupCommitOptions<In, Out>): (item: In) => Promise<Out> {
  const { maxSize, maxInFlight, joinTick = false, writeOne } = options;
  const queue: Array<Pending<In, Out>> = [];
  let inFlight = 0;

  const writeOneByOne = async (batch: Array<Pending<In, Out>>, one: (item: In) => Promise<Out>) => {
    for (const p of batch) {
      try {
        p.resolve(await one(p.item));
      } catch (error) {
        p.reject(error);
      }
    }
  };

  const write = async (batch: Array<Pending<In, Out>>) => {
    if (writeOne && batch.length === 1) return writeOneByOne(batch, writeOne);
    try {
      const results = await writeMany(batch.map((p) => p.item));
      batch.forEach((p, i) => p.resolve(results[i]!));
    } catch (error) {
      if (writeOne) return writeOneByOne(batch, writeOne);
      for (const p of batch) p.reject(error);
    }
  };

  const drain = () => {
    while (inFlight < maxInFlight && queue.length > 0) {
      const batch = queue.splice(0, maxSize);
      inFlight++;
      void write(batch).finally(() => {
        inFlight--;
        drain();
      });
    }
  };

  return (item) =>
    new Promise<Out>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (!joinTick || queue.length >= maxSize) drain();
      else if (queue.length === 1) setImmediate(drain);
    });
}
