import { defineConfig } from "vitest/config";

/*
 * `paycron simulate` runs: months of simulated time through the real engine, CPU-bound for
 * minutes. They run as their own step of `pnpm test`, after the rest, so that they neither starve
 * the other files of the two cores nor are starved by them.
 */
export default defineConfig({
  test: {
    include: ["tests/simulate/**/*.test.ts"],
    globalSetup: ["tests/global-setup.ts"],
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
  },
});
