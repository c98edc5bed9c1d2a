import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// The two isolation files, run side by side (two workers, one file each) by parallel-files.test.ts.
export default defineConfig({
  root: fileURLToPath(new URL("../../", import.meta.url)),
  test: {
    include: ["tests/isolation/files/*.isolation.ts"],
    globalSetup: ["tests/global-setup.ts"],
    pool: "forks",
    maxWorkers: 2,
    fileParallelism: true,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
