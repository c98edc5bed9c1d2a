import { describe, expect, it } from "vitest";
import { silentLogger, systemClock } from "@paycron/core";
import { withTransaction } from "@paycron/db";
import { useTestDb } from "@paycron/db/testing";
import { createWebhookInbox, recordStripeEvent } from "@paycron/inbox";
import { enqueueUnchecked } from "@paycron/runtime";
import { runUntilIdle } from "@paycron/local-engine/testing";
import { paycron as run } from "../support/paycron-cli.ts";
import { FIXTURES_DIR as FIXTURES } from "../support/task-fixtures.ts";

const t = useTestDb();
const paycron = (args: string[]) => run(t.url, args);
const drain = (tasksDir?: string) => runUntilIdle({ db: t.db, connectionString: t.url, clock: systemClock, logger: silentLogger(), tasksDir });
const runOf = (outboxId: string) => t.db.selectFrom("task_runs").selectAll().where("outbox_id", "=", outboxId).executeTakeFirstOrThrow();
/** "label  value" lines of the run's summary, before its payload. */
const fields = (stdout: string) =>
  stdout
    .split("\n\n", 1)[0]!
    .split("\n")
    .map((l) => /^(\S+(?: \S+)*) {2,}(.*)$/.exec(l)!.slice(1, 3) as [string, string]);

describe("pnpm paycron runs show", () => {
  it("shows a webhook run's event: provider, type and status", async () => {
    const event = await recordStripeEvent(createWebhookInbox(t.db, systemClock), { id: "evt_cli_show", type: "payment_intent.succeeded", object: "event" });
    await drain(); // the production tasks: the webhook task settles the event
    const runRow = await t.db.selectFrom("task_runs").selectAll().where("idempotency_key", "=", "stripe:evt_cli_show").executeTakeFirstOrThrow();

    const r = await paycron(["runs", "show", runRow.id]);
    expect(r.stderr).toBe("");
    expect(Object.fromEntries(fields(r.stdout))).toMatchObject({
      run: runRow.id,
      task: "stripe-payment-intent-succeeded",
      status: "completed",
      attempts: "1 of 5",
      key: expect.stringMatching(/^stripe:evt_cli_show {2}held until \S+: enqueueing with it returns this run$/),
      "webhook event": expect.stringMatching(new RegExp(`^stripe payment_intent\\.succeeded evt_cli_show {2}ignored {2}\\(${event.id}, received \\S+\\)$`)),
    });
    expect(r.stdout).toContain(`payload:\n  {\n    "webhookEventId": "${event.id}"\n  }`);
  }, 60_000);

  it("shows the error with its stack, the attempts, the parent and its children", async () => {
    const [failing, parent] = await withTransaction(t.db, async (tx) => [
      await enqueueUnchecked(tx, "domain-declined", {}, { idempotencyKey: "show-failing", clock: systemClock }),
      await enqueueUnchecked(tx, "nested-spawn-child", { value: "kid" }, { clock: systemClock }),
    ]);
    await drain(FIXTURES);
    const failedRun = await runOf(failing.id);
    const parentRun = await runOf(parent.id);
    const child = await t.db.selectFrom("task_runs").selectAll().where("parent_run_id", "=", parentRun.id).executeTakeFirstOrThrow();

    const [failedShown, parentShown, childShown, json] = await Promise.all([
      paycron(["runs", "show", failedRun.id]),
      paycron(["runs", "show", parentRun.id]),
      paycron(["runs", "show", child.id]),
      paycron(["runs", "show", failedRun.id, "--json"]),
    ]);
    expect(Object.fromEntries(fields(failedShown.stdout))).toMatchObject({
      status: "failed",
      attempts: "1 of 3",
      key: "show-failing  released (the run failed): enqueueing with it makes a new run",
    });
    expect(failedShown.stdout).toMatch(/\n\nerror:\n {2}DomainError: the card was declined\n {6}at .*domain-declined\.ts:\d+:\d+/);
    expect(failedShown.stdout).toContain("\n  code: CARD_DECLINED");
    expect(fields(parentShown.stdout)).toContainEqual(["child", `${child.id}  echo  completed`]);
    expect(parentShown.stdout).toContain(`output:\n  {\n    "id": "${child.outbox_id}",\n    "created": true\n  }`);
    expect(fields(childShown.stdout)).toContainEqual(["parent", `${parentRun.id}  nested-spawn-child  completed`]);
    expect(JSON.parse(json.stdout)).toMatchObject({ run: { id: failedRun.id, status: "failed", error: { name: "DomainError", code: "CARD_DECLINED", stack: expect.any(String) } }, idempotency: { state: "released" } });
  }, 60_000);

  it("says so for an unknown run and for what is not a run id", async () => {
    const [unknown, bad] = await Promise.all([paycron(["runs", "show", "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f"]), paycron(["runs", "show", "last"])]);
    expect([unknown.code, bad.code]).toEqual([1, 1]);
    expect(unknown.stderr.split("\n", 1)[0]).toBe("paycron: no run 6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f");
    expect(bad.stderr.split("\n", 1)[0]).toBe('paycron: "last" is not a run id (a UUID, as `paycron runs` lists them)');
  }, 60_000);
});
