// `pnpm bench`: runs every bench/*.bench.ts one after another (never in parallel: they would
// measure each other on a 2-core machine) and stops at the first that fails.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const dir = fileURLToPath(new URL(".", import.meta.url));
const only = process.argv[2];
const benches = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts") && (!only || f.includes(only)))
  .sort();
if (benches.length === 0) {
  console.error(only ? `no bench matches "${only}"` : "no benchmarks in bench/");
  process.exit(1);
}
for (const file of benches) {
  console.log(`\n=== ${file} ===`);
  const { status } = spawnSync(process.execPath, ["--import", "tsx", `${dir}${file}`], { stdio: "inherit" });
  if (status !== 0) process.exit(status ?? 1);
}
