import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { silentLogger, systemClock } from "@paycron/core";
import { useTestDb } from "@paycron/db/testing";
import { localEngine } from "@paycron/local-engine";
import { runUntilIdle } from "@paycron/local-engine/testing";
import { clearTaskDeps, createTaskDeps, installTaskDeps, triggerEngine } from "@paycron/runtime";
import { loadTaskCatalog } from "@paycron/runtime/catalog";
import { executeAsDeployedWorker, type DeployedAttemptResult } from "@paycron/runtime/testing";
import { loadWebhookServiceConfig, startWebhookService, type WebhookService } from "@paycron/webhooks";
import { FIXTURES_DIR } from "../support/task-fixtures.ts";
import { startTriggerApiStandIn, type TriggerApiStandIn } from "../support/trigger-api-stand-in.ts";
import { STRIPE_SECRET, stripeDelivery, SUPABASE_SECRET } from "../webhooks/helpers.ts";

/*
 * The production path, offline: the deployed webhook app and deployed task code talking to a
 * loopback stand-in of the Trigger.dev API, tasks executed by Trigger.dev's own TaskExecutor.
 * No dispatcher polls (its interval is an hour) and no outbox-sweep runs, so every dispatch seen
 * here was prompt by construction: a LISTEN wake-up, or a task handing over its own follow-ups.
 */
const t = useTestDb();
const HOUR_MS = "3600000";
let api: TriggerApiStandIn;
const executed = new Map<string, Promise<DeployedAttemptResult>>();

const deployedDeps = () =>
  createTaskDeps({ db: t.db, clock: systemClock, logger: silentLogger(), engine: triggerEngine({ secretKey: "tr_prod_standin", baseURL: api.url }) }, {});

async function echoRow(value: string) {
  const rows = await t.db.selectFrom("task_outbox").selectAll().where("task_id", "=", "echo").execute();
  const row = rows.find((r) => (r.payload as { value?: string }).value === value);
  if (!row) throw new Error(`no echo outbox row with value ${value}`);
  return row;
}

beforeAll(async () => {
  // The stand-in plays the deployed worker too: each new run is executed as Trigger.dev would.
  api = await startTriggerApiStandIn({ onTrigger: (tr) => executed.set(tr.runId, executeAsDeployedWorker(tr.taskId, tr.payload, { runId: tr.runId })) });
  await loadTaskCatalog();
  await loadTaskCatalog({ dir: FIXTURES_DIR });
});
afterAll(() => api.close());
afterEach(() => clearTaskDeps());

describe("on Trigger.dev (loopback stand-in of its API)", () => {
  let service: WebhookService | undefined;
  afterEach(async () => {
    await service?.stop();
    service = undefined;
  });

  it("the deployed webhook app hands a stored event to Trigger.dev as it commits, and the task settles it", async () => {
    installTaskDeps(deployedDeps());
    const config = loadWebhookServiceConfig({
      DATABASE_URL: t.url,
      PAYCRON_ENGINE: "trigger",
      TRIGGER_SECRET_KEY: "tr_prod_standin",
      TRIGGER_API_URL: api.url,
      OUTBOX_POLL_INTERVAL_MS: HOUR_MS,
      STRIPE_WEBHOOK_SECRETS: STRIPE_SECRET,
      SUPABASE_WEBHOOK_SECRET: SUPABASE_SECRET,
    });
    service = await startWebhookService(config, { clock: systemClock, logger: silentLogger() }, { port: 0, hostname: "127.0.0.1" });

    const delivery = stripeDelivery("customer.updated", { clock: systemClock });
    const sent = performance.now();
    const response = await fetch(`${service.url}/webhooks/stripe`, delivery.init);
    expect(response.status).toBe(200);
    const trigger = await api.next("stripe-customer-updated");
    console.info(`webhook → Trigger.dev: ${(trigger.at - sent).toFixed(1)} ms (poll interval 1 h, no sweep)`);

    const stored = await t.db.selectFrom("webhook_events").selectAll().where("provider_event_id", "=", String(delivery.event.id)).executeTakeFirstOrThrow();
    expect(trigger.payload).toEqual({ webhookEventId: stored.id });
    expect(trigger.options.idempotencyKeyOptions).toMatchObject({ scope: "global" });
    const outcome = await executed.get(trigger.runId)!;
    expect(outcome).toMatchObject({ ok: true });
    const after = await t.db.selectFrom("webhook_events").select("status").where("id", "=", stored.id).executeTakeFirstOrThrow();
    expect(after.status).not.toBe("received");
  });

  it("a deployed task hands its follow-up runs to Trigger.dev itself, before it returns", async () => {
    installTaskDeps(deployedDeps());
    const result = await executeAsDeployedWorker("nested-spawn-child", { value: "follow-up" });
    expect(result.ok).toBe(true);
    // Nothing else dispatches here: the follow-up is at the API because the run sent it after its commit.
    const followUp = api.triggers.find((tr) => tr.taskId === "echo" && (tr.payload as { value?: string }).value === "follow-up");
    expect(followUp).toBeDefined();
    const row = await echoRow("follow-up");
    expect(row).toMatchObject({ engine_run_id: followUp!.runId });
    expect(row.dispatched_at).not.toBeNull();
  });

  it("a non-retryable DomainError ends the run without retry; a retryable one is retried", async () => {
    installTaskDeps(deployedDeps());
    const retries = { default: { maxAttempts: 5, minTimeoutInMs: 10, maxTimeoutInMs: 10, factor: 1, randomize: false } };
    const declined = await executeAsDeployedWorker("domain-declined-run-task", {}, { retries });
    expect(declined).toMatchObject({ ok: false, skippedRetrying: true, error: { name: "AbortTaskRunError", message: "CARD_DECLINED: the card was declined" } });
    expect(declined.retryDelayMs).toBeUndefined();
    const locked = await executeAsDeployedWorker("domain-locked-run-task", {}, { retries });
    expect(locked).toMatchObject({ ok: false, skippedRetrying: false });
    expect(locked.retryDelayMs).toBeGreaterThan(0);
  });
});

describe("on the local engine", () => {
  it("a task hands its follow-up runs to the engine itself, with no dispatcher running", async () => {
    // Installs graphile-worker's schema (nothing is queued yet).
    await runUntilIdle({ db: t.db, connectionString: t.url, clock: systemClock, tasksDir: FIXTURES_DIR });
    installTaskDeps(createTaskDeps({ db: t.db, clock: systemClock, logger: silentLogger(), engine: localEngine() }, {}));
    const catalog = await loadTaskCatalog({ dir: FIXTURES_DIR });
    const ctx = { run: { id: "run_local" }, attempt: { number: 1 } };
    await catalog.get("nested-spawn-child").run({ value: "local-follow-up" }, { ctx, signal: new AbortController().signal });

    const row = await echoRow("local-follow-up");
    expect(row.dispatched_at).not.toBeNull();
    const run = await t.db.selectFrom("task_runs").selectAll().where("outbox_id", "=", row.id).executeTakeFirstOrThrow();
    expect(run).toMatchObject({ id: row.engine_run_id, status: "queued" });
  });
});
