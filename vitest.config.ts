import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["{apps,packages}/*/{src,test}/**/*.test.ts", "tests/**/*.test.ts", "trigger/**/*.test.ts"],
    // The simulations are a step of their own (vitest.simulate.config.ts, scripts/test.mjs).
    exclude: ["**/node_modules/**", "tests/simulate/**"],
    globalSetup: ["tests/global-setup.ts"],
    pool: "forks",
    // Most tests wait on Postgres, not the CPU: more files than cores run well side by side.
    maxWorkers: 4,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
  },
});
