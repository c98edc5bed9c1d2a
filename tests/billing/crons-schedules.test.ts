import { describe, expect, it } from "vitest";
import { silentLogger, TestClock } from "@paycron/core";
import { createCustomer, createOrganization, createSubscription, useTestDb } from "@paycron/db/testing";
import { localEngine } from "@paycron/local-engine";
import { createTaskDeps, installTaskDeps } from "@paycron/runtime";
import { loadTaskCatalog } from "@paycron/runtime/catalog";

const t = useTestDb();
const ctx = { run: { id: "run_test" }, attempt: { number: 1 } };

describe("the billing crons", async () => {
  const catalog = await loadTaskCatalog();

  it("run hourly-cron at every UTC hour and daily-cron at 00:10 UTC, no window, with their own retry policy and time limit", () => {
    expect(catalog.get("hourly-cron").schedule).toEqual({ cron: "0 * * * *", timezone: "UTC", window: "0m" });
    expect(catalog.get("daily-cron").schedule).toEqual({ cron: "10 0 * * *", timezone: "UTC", window: "0m" });
    for (const id of ["hourly-cron", "daily-cron"]) {
      const task = catalog.get(id);
      expect(task.retryIsImplicit, id).toBe(false);
      expect(task.retry.maxAttempts, id).toBe(3);
      expect(task.maxDurationSeconds, id).toBeGreaterThan(0);
    }
    // Retention is one of daily-cron's jobs: no separate retention cron.
    expect(catalog.has("runtime-retention")).toBe(false);
  });

  it("hourly-cron's body is the hourly sweep, daily-cron's the daily one (through the task definitions)", async () => {
    const clock = new TestClock("2027-03-01T12:00:00Z");
    installTaskDeps(createTaskDeps({ db: t.db, clock, logger: silentLogger(), engine: localEngine() }, {}));
    const organization = await createOrganization(t.db);
    const customer = await createCustomer(t.db, { organization_id: organization.id });
    const ended = await createSubscription(t.db, { organization_id: organization.id, customer_id: customer.id, current_period_end: new Date("2027-03-01T00:00:00Z") });
    const pastDue = await createSubscription(t.db, { organization_id: organization.id, customer_id: customer.id, status: "past_due" });
    const signal = new AbortController().signal;

    const hourly = catalog.get("hourly-cron");
    const hourlyPayload = await hourly.parsePayload({ timestamp: clock.now().toISOString(), upcoming: [] });
    expect(await hourly.run(hourlyPayload, { ctx, signal })).toMatchObject({ periodTransitions: { found: 1, enqueued: 1 } });
    const daily = catalog.get("daily-cron");
    expect(await daily.run(await daily.parsePayload({ timestamp: clock.now().toISOString(), upcoming: [] }), { ctx, signal })).toMatchObject({
      dunning: { found: 1, enqueued: 1 },
    });

    const outbox = await t.db.selectFrom("task_outbox").select(["task_id", "payload"]).where("task_id", "in", ["subscription-advance-batch", "dunning-finalize"]).orderBy("task_id").execute();
    expect(outbox).toEqual([
      { task_id: "dunning-finalize", payload: { subscriptionId: pastDue.id } },
      { task_id: "subscription-advance-batch", payload: { subscriptionIds: [ended.id] } },
    ]);
  });
});
