import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { isAlive, readPostmaster, startEmbeddedPostgres } from "../src/embedded-postgres.ts";

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
});
