import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { AbortTaskRunError } from "@trigger.dev/sdk";
import { describe, expect, it } from "vitest";
import { loadTaskCatalog } from "@paycron/runtime/catalog";
import {
  concurrencyLimitDefinitions,
  decodePayloadPacket,
  isAbortTaskRunError,
  nextRetryDelay,
  registeredTask,
} from "../src/catalog/sdk-internals.ts";
import { FIXTURES_DIR } from "../../../tests/support/task-fixtures.ts";

/*
 * The local engine depends on @trigger.dev internals (resource catalog, retry maths, packet
 * parsing). If an SDK upgrade moves any of them, this file fails first and says what moved.
 */
const require = createRequire(import.meta.url);
const versionOf = (pkg: string) =>
  (JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), "utf8")) as { version: string }).version;

describe("Trigger.dev SDK internals the local engine relies on", () => {
  it("pins @trigger.dev/sdk and @trigger.dev/core to the same, known version", () => {
    expect(versionOf("@trigger.dev/sdk")).toBe(versionOf("@trigger.dev/core"));
    expect(versionOf("@trigger.dev/sdk")).toBe("4.8.3");
  });

  it("registers a schemaTask's run, parse function, schema and merged retry in the resource catalog", async () => {
    await loadTaskCatalog({ dir: FIXTURES_DIR });
    const flaky = registeredTask("flaky");
    expect(flaky, "resourceCatalog.getTask no longer returns task metadata").toBeDefined();
    expect(typeof flaky!.run).toBe("function");
    expect(typeof flaky!.parsePayload).toBe("function");
    expect(flaky!.schema).toBeDefined();
    expect(flaky!.filePath).toMatch(/fixtures\/trigger\/flaky\.ts$/);
    expect(flaky!.retry).toEqual({ maxAttempts: 4, factor: 2, minTimeoutInMs: 100, maxTimeoutInMs: 1000, randomize: false });
    await expect(Promise.resolve().then(() => flaky!.parsePayload!({ failTimes: "x" }))).rejects.toThrow();
  });

  it("registers schedules.task crons with pattern, timezone and window", async () => {
    await loadTaskCatalog({ dir: FIXTURES_DIR });
    const t = registeredTask("paris-morning");
    expect(t?.triggerSource).toBe("schedule");
    expect(t?.schedule).toEqual({ cron: "0 9 * * *", timezone: "Europe/Paris", window: "0m" });
  });

  it("normalises task concurrency to an inline limit plus named concurrencyLimit()s", async () => {
    await loadTaskCatalog({ dir: FIXTURES_DIR });
    expect(registeredTask("limited")?.concurrency).toEqual({ inline: { total: 2, perKey: undefined }, limits: ["fixture-api"] });
    expect(concurrencyLimitDefinitions()).toContainEqual({ name: "fixture-api", total: 3, perKey: undefined });
  });

  it("computes retry delays with Trigger.dev's formula and stops at maxAttempts", () => {
    const policy = { maxAttempts: 3, factor: 2, minTimeoutInMs: 1_000, maxTimeoutInMs: 60_000, randomize: false };
    expect(nextRetryDelay(policy, 1)).toBe(1_000);
    expect(nextRetryDelay(policy, 2)).toBe(2_000);
    expect(nextRetryDelay(policy, 3)).toBeUndefined();
    expect(nextRetryDelay({ ...policy, maxAttempts: 10 }, 9)).toBe(60_000);
  });

  it("recognises AbortTaskRunError", () => {
    expect(isAbortTaskRunError(new AbortTaskRunError("no"))).toBe(true);
    expect(isAbortTaskRunError(new Error("retry me"))).toBe(false);
  });

  it("decodes the superjson payload packets a trigger request carries", async () => {
    const data = JSON.stringify({ json: { at: "2026-01-01T00:00:00.000Z" }, meta: { values: { at: ["Date"] } } });
    expect(await decodePayloadPacket(data, "application/super+json")).toEqual({ at: new Date("2026-01-01T00:00:00.000Z") });
  });
});
