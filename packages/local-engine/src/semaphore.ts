/** A counting semaphore for one process: at most `size` holders at once, waiters served in order. */
export function createSemaphore(size: number) {
  let free = size;
  const waiters: Array<() => void> = [];
  return {
    async acquire(): Promise<void> {
      if (free > 0) {
        free -= 1;
        return;
      }
      await new Promise<void>((resolve) => waiters.push(resolve));
    },
    release(): void {
      const next = waiters.shift();
      if (next) next();
      else free += 1;
    },
  };
}
