import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, chmodSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { isAlive, isRunning, processGroupOf, processIdentity, readPostmaster, startEmbeddedPostgres } from "../src/embedded-postgres.ts";

const fixture = fileURLToPath(new URL("./fixtures/start-and-wait.ts", import.meta.url));

/**
 * The fixture started as the child of a parent that never reaps it (`sh` backgrounds it, then
 * execs `sleep`), as in a container whose first process does not reap: killed, it stays a zombie.
 */
async function startUnderNonReapingParent(base: string, mode: "detached" | "attached"): Promise<{ parent: ChildProcess; pid: number; url: string }> {
  const parent = spawn("sh", ["-c", `"${process.execPath}" --import tsx "${fixture}" "${base}" ${mode} & echo "pid $!"; exec sleep 600`], {
    detached: true,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let pid = 0;
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = "";
    parent.stdout!.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      pid ||= Number(/^pid (\d+)$/m.exec(buffered)?.[1] ?? 0);
      const line = /^postgres:\/\/\S+$/m.exec(buffered)?.[0];
      if (line) resolve(line);
    });
    parent.on("exit", (code) => reject(new Error(`parent exited early with ${code}`)));
  });
  return { parent, pid, url };
}

/** SIGKILLs a child of `parent` once `parent` is `sleep` (a shell might still reap it), and waits until it is a zombie. */
async function killAndWaitForZombie(parent: ChildProcess, pid: number): Promise<void> {
  while (readFileSync(`/proc/${parent.pid}/comm`, "utf8").trim() !== "sleep") await new Promise((r) => setTimeout(r, 20));
  process.kill(pid, "SIGKILL");
  for (;;) {
    const state = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]![0];
    if (state === "Z") return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function select1(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ one: number }>("select 1 as one")).rows[0]!.one;
  } finally {
    await client.end();
  }
}

describe("embedded Postgres helper", () => {
  it("starts two servers in one process on different ports and stops both without leftovers", async () => {
    const [a, b] = await Promise.all([startEmbeddedPostgres({ fast: true }), startEmbeddedPostgres({ fast: true })]);
    expect(a.port).not.toBe(b.port);
    expect(await select1(a.url)).toBe(1);
    expect(await select1(b.url)).toBe(1);
    const pids = [readPostmaster(a.dataDir).pid, readPostmaster(b.dataDir).pid];
    await Promise.all([a.stop(), b.stop()]);
    await a.stop(); // idempotent
    expect(pids.filter(isAlive)).toEqual([]);
    expect(existsSync(a.dataDir) || existsSync(b.dataDir)).toBe(false);
  });

  it("keeps data in a persistent data dir and takes it over after its owner was SIGKILLed", async () => {
    const base = mkdtempSync(join(tmpdir(), "paycron-persist-test-"));
    chmodSync(base, 0o755);
    try {
      // A child process starts the server and is then killed without any chance to clean up.
      const script = fileURLToPath(new URL("./fixtures/start-and-wait.ts", import.meta.url));
      // `node --import tsx` keeps it one process (the tsx CLI would fork a second one).
      const child = spawn(process.execPath, ["--import", "tsx", script, base], { stdio: ["ignore", "pipe", "inherit"] });
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on("data", (chunk: Buffer) => {
          const line = chunk.toString().trim();
          if (line.startsWith("postgres://")) resolve(line);
        });
        child.on("exit", (code) => reject(new Error(`child exited early with ${code}`)));
      });
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query("create table kept (v int); insert into kept values (42)");
      await client.end();

      const orphan = readPostmaster(join(base, "data")).pid;
      child.kill("SIGKILL");
      await new Promise((r) => child.once("exit", r));
      expect(isAlive(orphan)).toBe(true); // the orphan the next start must deal with

      const again = await startEmbeddedPostgres({ dataDir: base, fast: true });
      try {
        expect(isAlive(orphan)).toBe(false);
        const c2 = new pg.Client({ connectionString: again.url });
        await c2.connect();
        expect((await c2.query("select v from kept")).rows).toEqual([{ v: 42 }]);
        await c2.end();
      } finally {
        await again.stop();
      }
      expect(existsSync(join(base, "data", "PG_VERSION"))).toBe(true);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });

  it("counts a zombie as gone, and a live process under a reused pid as another process", async () => {
    const parent = spawn("sh", ["-c", 'sleep 600 & echo "$!"; exec sleep 600'], { detached: true, stdio: ["ignore", "pipe", "inherit"] });
    try {
      const child = Number(await new Promise<string>((resolve) => parent.stdout!.once("data", (c: Buffer) => resolve(c.toString().trim()))));
      expect(isAlive(child)).toBe(true);
      await killAndWaitForZombie(parent, child);
      process.kill(child, 0); // the kernel still has the pid: only its state says it is gone
      expect(isAlive(child)).toBe(false);
      expect(isRunning({ pid: child })).toBe(false);

      const me = processIdentity();
      expect(isRunning(me)).toBe(true);
      expect(isRunning({ pid: me.pid, startTime: me.startTime! + 1 })).toBe(false);
    } finally {
      parent.kill("SIGKILL");
    }
  });

  it("detached, the server has a session of its own, outlives its owner, and the next start takes it over though the owner is an unreaped zombie", async () => {
    const base = mkdtempSync(join(tmpdir(), "paycron-zombie-test-"));
    chmodSync(base, 0o755);
    const { parent, pid, url } = await startUnderNonReapingParent(base, "detached");
    try {
      const orphan = readPostmaster(join(base, "data")).pid;
      // Ctrl-C in a terminal signals the owner's process group; the server is in none of the owner's.
      expect(processGroupOf(orphan)).toEqual({ pgrp: orphan, session: orphan });
      expect(processGroupOf(orphan)!.session).not.toBe(processGroupOf(pid)!.session);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query("create table kept (v int); insert into kept values (7)");
      await client.end();

      await killAndWaitForZombie(parent, pid);
      expect(isAlive(orphan)).toBe(true);

      const again = await startEmbeddedPostgres({ dataDir: base, fast: true });
      try {
        expect(isAlive(orphan)).toBe(false);
        const c2 = new pg.Client({ connectionString: again.url });
        await c2.connect();
        expect((await c2.query("select v from kept")).rows).toEqual([{ v: 7 }]);
        await c2.end();
      } finally {
        await again.stop();
      }
    } finally {
      parent.kill("SIGKILL");
      rmSync(base, { recursive: true, force: true });
    }
  });

  it("takes the data dir over when the recorded owner's pid now belongs to another process", async () => {
    const base = mkdtempSync(join(tmpdir(), "paycron-reused-pid-test-"));
    chmodSync(base, 0o755);
    const { parent, pid } = await startUnderNonReapingParent(base, "attached");
    try {
      const orphan = readPostmaster(join(base, "data")).pid;
      expect(JSON.parse(readFileSync(join(base, "owner.json"), "utf8"))).toEqual(processIdentity(pid));
      process.kill(pid, "SIGKILL");
      // As if the pid had come back as someone else's: a live process that started after the owner.
      writeFileSync(join(base, "owner.json"), JSON.stringify({ pid: parent.pid, startTime: processIdentity(parent.pid!).startTime! - 100 }));

      const again = await startEmbeddedPostgres({ dataDir: base, fast: true });
      await again.stop();
      expect(isAlive(orphan)).toBe(false);
    } finally {
      parent.kill("SIGKILL");
      rmSync(base, { recursive: true, force: true });
    }
  });
});
