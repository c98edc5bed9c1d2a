import { describe, expect, it } from "vitest";
import { systemClock } from "@paycron/core";
import { withTransaction } from "@paycron/db";
import { useTestDb } from "@paycron/db/testing";
import { enqueueUnchecked } from "@paycron/runtime";
import { runUntilIdle } from "@paycron/local-engine/testing";
import { FIXTURES_DIR, runsOf } from "../../../tests/support/task-fixtures.ts";

const t = useTestDb();

async function runOnce(task: string) {
  await withTransaction(t.db, (tx) => enqueueUnchecked(tx, task, {}, { clock: systemClock }));
  await runUntilIdle({ db: t.db, connectionString: t.url, clock: systemClock, tasksDir: FIXTURES_DIR });
  const runs = await runsOf(t.db, task);
  expect(runs).toHaveLength(1);
  return runs[0]!;
}

describe("errors that must not retry", () => {
  it("ends a run that throws a non-retryable DomainError after one attempt, though its policy allows three", async () => {
    const run = await runOnce("domain-declined");
    expect(run).toMatchObject({
      status: "failed",
      attempt: 1,
      max_attempts: 3,
      error: { name: "DomainError", code: "CARD_DECLINED", message: "the card was declined" },
    });
  });

  it("retries a run that throws a retryable DomainError", async () => {
    const run = await runOnce("domain-locked");
    expect(run).toMatchObject({ status: "completed", attempt: 2, output: { succeededOn: 2 } });
  });

  it("ends a run whose runTask body throws a non-retryable DomainError after one attempt, recording the abort", async () => {
    const run = await runOnce("domain-declined-run-task");
    expect(run).toMatchObject({
      status: "failed",
      attempt: 1,
      error: { name: "AbortTaskRunError", message: "CARD_DECLINED: the card was declined" },
    });
  });
});
