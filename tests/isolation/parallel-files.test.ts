import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));

it("two test files writing the same natural keys at the same time each see only their own rows", () => {
  // A separate vitest run makes the two files run concurrently for certain (two workers, two
  // files); inside this run the scheduler could put them one after the other.
  const dir = mkdtempSync(join(tmpdir(), "paycron-isolation-"));
  try {
    const report = join(dir, "report.json");
    const result = spawnSync(
      process.execPath,
      [join(root, "node_modules/vitest/vitest.mjs"), "run", "--config", "tests/isolation/vitest.isolation.config.ts", "--reporter=json", `--outputFile=${report}`],
      { cwd: root, encoding: "utf8", timeout: 120_000 },
    );
    const json = JSON.parse(readFileSync(report, "utf8")) as {
      numPassedTests: number;
      numFailedTests: number;
      testResults: { message: string; assertionResults: { failureMessages: string[] }[] }[];
    };
    const failures = json.testResults.flatMap((f) => [f.message, ...f.assertionResults.flatMap((a) => a.failureMessages)]).join("\n");
    expect({ status: result.status, passed: json.numPassedTests, failed: json.numFailedTests }, `${failures}\n${result.stderr}`).toEqual({ status: 0, passed: 2, failed: 0 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 130_000);
