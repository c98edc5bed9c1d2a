import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { availableParallelism, freemem, release, totalmem } from "node:os";

/** The machine and the code measured, for the bench's header (BENCHMARKS.md records both). */
export function machineLines(): string[] {
  let cpu: string;
  try {
    const lines = execFileSync("lscpu", { encoding: "utf8" }).split("\n").map((l) => l.trim().replace(/\s{2,}/g, " "));
    cpu = lines.filter((l) => /^(Architecture|Model name|Thread\(s\) per core|Core\(s\) per socket|Hypervisor vendor):/.test(l)).join("; ");
  } catch {
    cpu = "lscpu: not available";
  }
  let code: string;
  try {
    const git = (...args: string[]) => execFileSync("git", args, { encoding: "utf8" });
    const dirty = git("status", "--porcelain", "--", "packages", "trigger").split("\n").filter(Boolean).map((l) => l.slice(3));
    code = `code: commit ${git("rev-parse", "--short", "HEAD").trim()}${dirty.length > 0 ? `, uncommitted: ${dirty.join(", ")}` : ""}`;
  } catch {
    code = "code: git not available";
  }
  const gib = (b: number) => `${Math.round(b / 2 ** 30)} GiB`;
  return [code, `nproc ${availableParallelism()}, ${gib(totalmem())} (${gib(freemem())} free), kernel ${release()}, Node ${process.version}`, cpu];
}

/** The postmaster and its children (backends, checkpointer, WAL writer…). */
export function postgresPids(postmasterPid: number): number[] {
  const pids: number[] = [];
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    const stat = procStat(Number(pid));
    if (stat && (Number(pid) === postmasterPid || Number(stat[1]) === postmasterPid)) pids.push(Number(pid));
  }
  return pids;
}

/** User + system CPU of `pids`, in ms (a process that has ended counts 0; USER_HZ is 100). */
export function cpuMsOf(pids: number[]): number {
  let total = 0;
  for (const pid of pids) {
    const stat = procStat(pid);
    if (stat) total += (Number(stat[11]) + Number(stat[12])) * 10;
  }
  return total;
}

/** /proc/<pid>/stat fields after the command name (state is [0], ppid [1], utime [11], stime [12]). */
function procStat(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}
