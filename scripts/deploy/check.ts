/*
 * `pnpm deploy:check [--keep]`: builds the worker as `trigger deploy` does, indexes it as the deployed
 * image does, and compares it with the task catalog, the forbidden-module list and the size budget.
 * Offline; exits 1 with one line per problem. --keep leaves the build and the indexed copy in place.
 */
import { kb, mb, runDeployCheck } from "./deploy-check.ts";

const keep = process.argv.includes("--keep");
const started = performance.now();
const report = await runDeployCheck({ keep, log: (line) => console.log(`· ${line}`) });
const seconds = ((performance.now() - started) / 1000).toFixed(1);

if (report.deployed) {
  console.log(`\nIndexed ${report.deployed.tasks.length} tasks (catalog: ${report.catalogTaskIds.length}), content hash ${report.contentHash}:`);
  for (const [id, t] of [...report.deployedSpecs].sort(([a], [b]) => a.localeCompare(b))) {
    const retry = t.retry as { maxAttempts?: number } | undefined;
    const limits = [t.concurrency.total && `total ${t.concurrency.total}`, t.concurrency.perKey && `perKey ${t.concurrency.perKey}`, ...t.concurrency.limits.map((l) => l.name)].filter(Boolean);
    console.log(
      `  ${id.padEnd(38)} ${(t.schedule ? `${t.schedule.cron} ${t.schedule.timezone}` : "").padEnd(16)} attempts ${retry?.maxAttempts ?? 1}, maxDuration ${t.maxDuration ?? "-"} s` +
        `${limits.length ? `, concurrency ${limits.join(" + ")}` : ""}${t.payloadSchema ? ", payload schema" : ""}`,
    );
  }
}
if (report.bundle) {
  const b = report.bundle;
  console.log(`\nBundle: ${mb(b.jsBytes)} of JavaScript (budget ${mb(report.budgetBytes)}), ${mb(b.mapBytes)} of source maps; Paycron's own code ${kb(b.ourBytes)}`);
  console.log(`  largest: ${b.packages.slice(0, 8).map((p) => `${p.name} ${kb(p.bytes)}`).join(", ")}`);
  console.log(`  externals installed on the worker: ${report.externals.map((e) => `${e.name}@${e.version}`).join(", ") || "none"}`);
}
for (const note of report.notes) console.log(`note: ${note}`);
console.log(`\nTimings (ms): ${Object.entries(report.timings).map(([k, v]) => `${k} ${v}`).join(", ")}; total ${seconds} s; outbound requests: none`);
if (keep && report.destination) console.log(`Build kept at ${report.destination}`);

if (report.ok) {
  console.log("\ndeploy check passed");
} else {
  console.error(`\ndeploy check FAILED (${report.problems.length}):`);
  for (const p of report.problems) console.error(`  - ${p}`);
  process.exitCode = 1;
}
