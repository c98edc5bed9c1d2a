#!/usr/bin/env node
// `pnpm test`: typecheck, lint, then every vitest test (which start their own embedded Postgres).
// Ends with a plain `N passed, N failed` line; typecheck and lint count as one check each.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";

const args = process.argv.slice(2);
const results = [];

function step(name, command, commandArgs) {
  const started = performance.now();
  const { status } = spawnSync(command, commandArgs, { stdio: "inherit", env: process.env });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`\n${status === 0 ? "ok" : "FAILED"}: ${name} (${seconds} s)\n`);
  return status === 0;
}

mkdirSync(".paycron", { recursive: true });
const report = ".paycron/vitest-report.json";

if (!args.includes("--only-tests")) {
  results.push(step("typecheck", "tsc", ["--noEmit", "-p", "."]));
  results.push(step("lint", "eslint", ["--max-warnings", "0", "."]));
}
const vitestArgs = args.filter((a) => a !== "--only-tests");
// The simulations run after the rest, on their own (vitest.simulate.config.ts says why); given
// file filters, each step runs only what matches.
const suites = [
  { name: "tests", report, config: [] },
  { name: "simulation tests", report: ".paycron/vitest-simulate-report.json", config: ["--config", "vitest.simulate.config.ts"] },
];

let passed = results.filter(Boolean).length;
let failed = results.length - passed;
for (const suite of suites) {
  rmSync(suite.report, { force: true });
  const ok = step(suite.name, "vitest", ["run", ...suite.config, "--passWithNoTests", "--reporter=default", "--reporter=json", `--outputFile.json=${suite.report}`, ...vitestArgs]);
  const before = failed;
  try {
    const json = JSON.parse(readFileSync(suite.report, "utf8"));
    passed += json.numPassedTests;
    failed += json.numFailedTests;
    // A file that fails to load has no failed test but must still fail the run.
    failed += json.testResults.filter((f) => f.status === "failed" && f.assertionResults.every((a) => a.status !== "failed")).length;
    if (json.numPendingTests + json.numTodoTests > 0) console.log(`note: ${json.numPendingTests + json.numTodoTests} skipped or todo tests in ${suite.name}`);
  } catch {
    failed += 1; // vitest died before writing its report
  }
  if (!ok && failed === before) failed += 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
