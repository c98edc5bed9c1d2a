/**
 * Coalesces calls into one statement: calls made while a batch is in flight wait and go out
 * together in the next one. An idle system pays no delay; a busy one writes task_runs once per
 * batch instead of once per run (per-statement cost is what limits a 2-core box).
 */
export function createBatcher<In, Out>(flush: (items: In[]) => Promise<Out[]>, options: { maxSize?: number; maxInFlight?: number } = {}) {
  const maxSize = options.maxSize ?? 200;
  const maxInFlight = options.maxInFlight ?? 2;
  let pending: Array<{ item: In; resolve: (o: Out) => void; reject: (e: unknown) => void }> = [];
  let inFlight = 0;

  const drain = () => {
    while (inFlight < maxInFlight && pending.length > 0) {
      const batch = pending.slice(0, maxSize);
      pending = pending.slice(maxSize);
      inFlight += 1;
      flush(batch.map((b) => b.item))
        .then(
          (results) => batch.forEach((b, i) => b.resolve(results[i]!)),
          (error: unknown) => batch.forEach((b) => b.reject(error)),
        )
        .finally(() => {
          inFlight -= 1;
          drain();
        });
    }
  };

  return (item: In): Promise<Out> =>
    new Promise<Out>((resolve, reject) => {
      pending.push({ item, resolve, reject });
      // Let the other calls of this tick join before the first statement goes out.
      if (pending.length === 1) setImmediate(drain);
      else if (pending.length >= maxSize) drain();
    });
}
