import { describe, expect, it } from "vitest";
import { paycron as run } from "../support/paycron-cli.ts";
import { FIXTURES_DIR as FIXTURES } from "../support/task-fixtures.ts";

// `tasks` reads task files only: a database that does not exist shows it never opens one.
const paycron = (args: string[]) => run("postgres://nobody@127.0.0.1:1/nothing", args);

/** The table's rows as cells, by the columns its header names (cells are two or more spaces apart). */
function rows(stdout: string): Array<Record<string, string>> {
  const [header, ...lines] = stdout.trimEnd().split("\n");
  const names = header!.split(/ {2,}/);
  return lines.map((l) => Object.fromEntries(l.split(/ {2,}/).map((cell, i) => [names[i]!, cell])));
}

describe("pnpm paycron tasks", () => {
  it("lists each task's file, schedule and next runs, retry, concurrency and max duration", async () => {
    const before = Date.now();
    const r = await paycron(["tasks", "--tasks-dir", FIXTURES]);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n", 1)[0]).toMatch(/^ID +FILE +SCHEDULE +NEXT RUNS +RETRY +CONCURRENCY +MAX DURATION$/);
    const byId = Object.fromEntries(rows(r.stdout).map((row) => [row.ID, row]));
    expect(Object.keys(byId)).toEqual(expect.arrayContaining(["echo", "flaky", "limited", "paris-morning", "nested-spawn-child"]));

    expect(byId.flaky).toEqual({ ID: "flaky", FILE: "flaky.ts", SCHEDULE: "-", "NEXT RUNS": "-", RETRY: "4 attempts, 100 ms ×2 up to 1.0 s", CONCURRENCY: "unlimited", "MAX DURATION": "30 s" });
    expect(byId.limited).toMatchObject({ CONCURRENCY: "2 at once; fixture-api: 3" });
    expect(byId["nested-spawn-child"]).toMatchObject({ FILE: "nested/spawn-child.ts" });
    expect(byId.overrun).toMatchObject({ "MAX DURATION": "0.5 s" });

    const paris = byId["paris-morning"]!;
    expect(paris.SCHEDULE).toBe("0 9 * * * (Europe/Paris)");
    const next = paris["NEXT RUNS"]!.split(", ").map((slot: string) => new Date(slot));
    expect(next).toHaveLength(3);
    for (const [i, slot] of next.entries()) {
      // 09:00 in Paris whatever the season, one day apart, all to come.
      expect(new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Paris", hour: "2-digit", minute: "2-digit" }).format(slot)).toBe("09:00");
      expect(slot.getTime()).toBeGreaterThan(before);
      if (i > 0) expect(slot.getTime() - next[i - 1]!.getTime()).toBeGreaterThanOrEqual(23 * 3_600_000);
    }
  }, 60_000);

  it("lists the production tasks by default, as JSON too, and refuses a directory that does not exist", async () => {
    const [table, json, missing] = await Promise.all([paycron(["tasks"]), paycron(["tasks", "--json"]), paycron(["tasks", "--tasks-dir", "/nonexistent"])]);
    const sweep = rows(table.stdout).find((row) => row.ID === "outbox-sweep");
    expect(sweep).toMatchObject({ FILE: "outbox-sweep.ts", SCHEDULE: "* * * * * (UTC)", RETRY: "none", "MAX DURATION": "55 s" });
    const tasks = JSON.parse(json.stdout) as Array<{ id: string; kind: string; schedule: { next: string[] } | null; retry: { maxAttempts: number } }>;
    expect(tasks.find((x) => x.id === "stripe-payment-intent-succeeded")).toMatchObject({ kind: "schema", schedule: null, retry: { maxAttempts: 5 } });
    expect(tasks.find((x) => x.id === "outbox-sweep")).toMatchObject({ kind: "schedule", schedule: { next: [expect.any(String), expect.any(String), expect.any(String)] } });
    expect(missing.code).toBe(1);
    expect(missing.stderr.split("\n", 1)[0]).toBe("paycron: --tasks-dir /nonexistent: no such directory");
  }, 60_000);
});
