import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { silentLogger } from "@paycron/core";
import { listenWithPolling, type ListenWithPolling } from "../src/index.ts";
import { useTestDb, waitFor } from "../src/testing/index.ts";

const t = useTestDb();
const CHANNEL = "paycron_listen_test";
const APP = "paycron-listen-test";
const open: ListenWithPolling[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((l) => l.stop()));
});

/** Polling effectively off: whatever wakes the listener within a test came through NOTIFY (or a reconnect). */
function start(onWake: (signal: AbortSignal) => Promise<void>) {
  const listener = listenWithPolling({ connectionString: t.url, channel: CHANNEL, pollIntervalMs: 600_000, onWake, logger: silentLogger(), applicationName: APP });
  open.push(listener);
  return listener;
}

/** The listener's backend once its LISTEN has completed. */
const listening = (notPid?: number) =>
  waitFor(async () => {
    const { rows } = await sql<{ pid: number }>`
      select pid from pg_stat_activity
      where application_name = ${APP} and datname = current_database() and state = 'idle' and query ilike 'listen %'`.execute(t.db);
    return rows.find((r) => r.pid !== notPid)?.pid;
  }, "the LISTEN connection");

const notify = () => sql`select pg_notify(${CHANNEL}, '')`.execute(t.db);
/** Lets the wake-up that follows every (re)connect happen first, so it is not taken for the NOTIFY's. */
const settle = () => new Promise((r) => setTimeout(r, 200));

describe("listenWithPolling", () => {
  it("wakes on a NOTIFY, not only on the poll", async () => {
    let passes = 0;
    start(async () => void passes++);
    await listening();
    await settle();
    const before = passes;
    await notify();
    await waitFor(async () => passes > before, "a wake-up from the NOTIFY");
  });

  it("coalesces wake-ups during a pass into exactly one more pass", async () => {
    let passes = 0;
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    const listener = start(async () => {
      passes++;
      if (passes === 1) await gate;
    });
    await listening();
    const waits = [listener.wake(), listener.wake(), listener.wake()];
    await notify();
    await notify();
    await new Promise((r) => setTimeout(r, 200)); // let the notifications arrive during the first pass
    openGate();
    await Promise.all(waits);
    expect(passes).toBe(2);
  });

  it("reopens a lost LISTEN connection and hears notifications again", async () => {
    let passes = 0;
    start(async () => void passes++);
    const first = await listening();
    await sql`select pg_terminate_backend(${first})`.execute(t.db);
    await listening(first);
    await settle();
    const before = passes;
    await notify();
    await waitFor(async () => passes > before, "a wake-up from a NOTIFY after the reconnect");
  });

  it("aborts the running pass's signal on stop() and waits for the pass to end", async () => {
    let ended = false;
    const listener = start(async (signal) => {
      await new Promise((resolve) => signal.addEventListener("abort", resolve));
      ended = true;
    });
    await listening();
    open.splice(0);
    await listener.stop();
    expect(ended).toBe(true);
  });
});
