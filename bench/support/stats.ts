/** Repetitions of each measurement (BENCH_RUNS, default 3); results are their medians. */
export const RUNS = Number(process.env.BENCH_RUNS ?? 3);

export function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
