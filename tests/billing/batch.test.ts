import { randomUUID } from "node:crypto";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { advanceSubscriptionPeriods, BILLING_RUN_LEASE_MS, executeBillingRun, executeBillingRuns } from "@paycron/billing";
import { createOrganization, waitFor } from "@paycron/db/testing";
import { chargesOf, DAY_MS, paymentIntentsOf, signUp, stateOf, useBilling } from "./support.ts";

/** A test that starts a worker process: tsx compiling it on a loaded machine can take most of the default 30 s. */
const SPAWN_TIMEOUT_MS = 120_000;
const h = useBilling();
const WORKER = fileURLToPath(new URL("./fixtures/execute-billing-run.ts", import.meta.url));

/** `n` new subscriptions of one organization, each with its first (attempt-1) run due now. */
async function signUps(n: number) {
  const organization = await createOrganization(h.db, { invoice_prefix: `B${randomUUID().slice(0, 4).toUpperCase()}` });
  const subs = [];
  for (let i = 0; i < n; i++) subs.push(await signUp(h, { organizationId: organization.id }));
  return { organizationId: organization.id, subs };
}

async function invoiceNumbers(organizationId: string): Promise<string[]> {
  const rows = await h.db.selectFrom("invoices").select("number").where("organization_id", "=", organizationId).orderBy("number").execute();
  return rows.map((r) => r.number!);
}

const numbered = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${String(i + 1).padStart(6, "0")}`);

describe("executing billing runs as a batch", () => {
  it("charges every run once with the single run's steps, numbers the invoices without a gap, and answers in the order asked", async () => {
    const { organizationId, subs } = await signUps(5);
    const done = subs[4]!;
    await executeBillingRun(h.deps, { billingRunId: done.billingRunId });
    const unknown = randomUUID();
    const ids = [subs[2]!.billingRunId, unknown, subs[0]!.billingRunId, done.billingRunId, subs[3]!.billingRunId, subs[1]!.billingRunId];

    const results = await executeBillingRuns(h.deps, { billingRunIds: ids });

    expect(results.map((r) => r.outcome)).toEqual(["charged", "not_claimed", "charged", "not_claimed", "charged", "charged"]);
    expect(results[1]).toEqual({ outcome: "not_claimed", status: "missing" });
    expect(results[3]).toEqual({ outcome: "not_claimed", status: "succeeded" });
    for (const [i, sub] of [subs[2]!, subs[0]!, subs[3]!, subs[1]!].entries()) {
      const [pi, ...more] = paymentIntentsOf(h, sub.billingRunId);
      expect(more).toEqual([]);
      expect(results[[0, 2, 4, 5][i]!]).toMatchObject({ outcome: "charged", paymentStatus: "succeeded", paymentIntentId: pi!.id });
      expect(chargesOf(h, sub.stripeCustomerId)).toHaveLength(1);
      const state = await stateOf(h, sub.subscriptionId);
      expect(state.subscription.status).toBe("active");
      expect(state.invoices).toMatchObject([{ status: "paid", amount_paid: 4900, amount_due: 0 }]);
      expect(state.payments).toMatchObject([{ status: "succeeded", stripe_payment_intent_id: pi!.id }]);
    }
    const prefix = (await invoiceNumbers(organizationId))[0]!.split("-")[0]!;
    expect(await invoiceNumbers(organizationId)).toEqual(numbered(prefix, 5));
  });

  it("executes each run once when batches overlapping each other and single executors reach the same runs at once", async () => {
    const { organizationId, subs } = await signUps(6);
    const ids = subs.map((s) => s.billingRunId);

    const calls = [
      executeBillingRuns(h.deps, { billingRunIds: ids }),
      executeBillingRuns(h.deps, { billingRunIds: [...ids].reverse() }),
      executeBillingRuns(h.deps, { billingRunIds: ids.slice(2), chargeConcurrency: 1 }),
      ...ids.map((billingRunId) => executeBillingRun(h.deps, { billingRunId })),
    ];
    const results = (await Promise.all(calls)).flat();

    expect(results.filter((r) => r.outcome === "charged")).toHaveLength(6);
    for (const sub of subs) {
      expect(paymentIntentsOf(h, sub.billingRunId)).toHaveLength(1);
      expect(chargesOf(h, sub.stripeCustomerId)).toHaveLength(1);
      expect((await stateOf(h, sub.subscriptionId)).payments).toHaveLength(1);
    }
    const prefix = (await invoiceNumbers(organizationId))[0]!.split("-")[0]!;
    expect(await invoiceNumbers(organizationId)).toEqual(numbered(prefix, 6));
  });

  it("finishes the other runs when Stripe cannot be reached for one, then throws, its lease given back for the retry", async () => {
    const { subs } = await signUps(3);
    // One charge at a time: the first request and the SDK's two retries of it fail.
    h.emulator.faults.failNext(3, 503);

    await expect(executeBillingRuns(h.deps, { billingRunIds: subs.map((s) => s.billingRunId), chargeConcurrency: 1 })).rejects.toThrow();
    h.emulator.faults.clear();
    const states = await Promise.all(subs.map((s) => stateOf(h, s.subscriptionId)));
    const unreached = states.filter((s) => s.runs[0]!.status === "in_progress");
    expect(unreached).toHaveLength(1);
    expect(unreached[0]!.runs[0]!.lease_until!.getTime()).toBeLessThanOrEqual(h.clock.now().getTime());
    expect(states.filter((s) => s.runs[0]!.status === "succeeded")).toHaveLength(2);

    const retry = await executeBillingRuns(h.deps, { billingRunIds: subs.map((s) => s.billingRunId) });
    expect(retry.map((r) => r.outcome).sort()).toEqual(["charged", "not_claimed", "not_claimed"]);
    for (const sub of subs) expect(chargesOf(h, sub.stripeCustomerId)).toHaveLength(1);
  });

  it("a batch worker SIGKILLed after Stripe charged its runs, before any result was written: the retry gets the same PaymentIntents back, each customer charged once", async () => {
    const { subs } = await signUps(3);
    const ids = subs.map((s) => s.billingRunId);
    h.emulator.faults.holdAfterCharge(1);

    const worker = spawn(process.execPath, ["--import", "tsx", WORKER, h.url, h.emulator.url, ids.join(","), h.clock.now().toISOString()], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    worker.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => worker.once("exit", (_code, signal) => resolve(signal)));
    // Every run charged at Stripe (one answer held back): the batch waits for it before writing any result.
    await waitFor(
      async () => (subs.every((s) => chargesOf(h, s.stripeCustomerId).length === 1) && h.emulator.requests().some((r) => r.fault === "hold")) || (worker.exitCode !== null && fail(stderr)),
      "the worker's charges",
      60_000,
    );
    worker.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    for (const sub of subs) {
      const killed = await stateOf(h, sub.subscriptionId);
      expect(killed.payments).toEqual([]);
      expect(killed.runs).toMatchObject([{ status: "in_progress", charge_amount: 4900 }]);
    }

    expect((await executeBillingRuns(h.deps, { billingRunIds: ids })).map((r) => r.outcome)).toEqual(["not_claimed", "not_claimed", "not_claimed"]);
    h.clock.advance(BILLING_RUN_LEASE_MS);
    const results = await executeBillingRuns(h.deps, { billingRunIds: ids });

    for (const [i, sub] of subs.entries()) {
      const [pi, ...more] = paymentIntentsOf(h, sub.billingRunId);
      expect(more).toEqual([]);
      expect(results[i]).toMatchObject({ outcome: "charged", paymentStatus: "succeeded", paymentIntentId: pi!.id });
      expect(chargesOf(h, sub.stripeCustomerId)).toHaveLength(1);
      const recovered = await stateOf(h, sub.subscriptionId);
      expect(recovered.payments).toMatchObject([{ status: "succeeded", stripe_payment_intent_id: pi!.id }]);
      expect(recovered.invoices).toMatchObject([{ status: "paid", amount_paid: 4900 }]);
      const creates = h.emulator.requests().filter((r) => r.path === "/v1/payment_intents" && r.idempotencyKey?.includes(sub.billingRunId));
      expect(creates.map((r) => r.replayed)).toEqual([false, true]);
    }
  }, SPAWN_TIMEOUT_MS);
});

describe("advancing subscriptions as a batch", () => {
  /** `n` active subscriptions (first period paid) whose period has ended by the time this returns. */
  async function endedPeriods(n: number) {
    const { subs } = await signUps(n);
    await executeBillingRuns(h.deps, { billingRunIds: subs.map((s) => s.billingRunId) });
    h.clock.advance(40 * DAY_MS);
    return subs;
  }

  const outbox = (taskId: string) => h.db.selectFrom("task_outbox").select(["payload", "idempotency_key"]).where("task_id", "=", taskId).execute();

  it("advances every subscription in one call and hands the runs due now to billing-run-batch together", async () => {
    const subs = await endedPeriods(3);
    const before = (await outbox("billing-run-batch")).length;

    const results = await advanceSubscriptionPeriods(h.deps, { subscriptionIds: subs.map((s) => s.subscriptionId) });

    expect(results.map((r) => r.outcome)).toEqual(["advanced", "advanced", "advanced"]);
    const opened = results.flatMap((r) => (r.outcome === "advanced" ? r.opened.map((o) => o.billingRunId!) : []));
    expect(opened).toHaveLength(results.reduce((n, r) => n + (r.outcome === "advanced" ? r.opened.length : 0), 0));
    const batches = (await outbox("billing-run-batch")).slice(before);
    expect(batches.flatMap((b) => (b.payload as { billingRunIds: string[] }).billingRunIds).sort()).toEqual([...opened].sort());
    for (const sub of subs) {
      const state = await stateOf(h, sub.subscriptionId);
      expect(state.subscription.current_period_end.getTime()).toBeGreaterThan(h.clock.now().getTime());
    }

    // A replay finds nothing due and hands nothing over again.
    expect((await advanceSubscriptionPeriods(h.deps, { subscriptionIds: subs.map((s) => s.subscriptionId) })).map((r) => r.outcome)).toEqual(["not_due", "not_due", "not_due"]);
    expect(await outbox("billing-run-batch")).toHaveLength(before + batches.length);

    const charged = await executeBillingRuns(h.deps, { billingRunIds: opened });
    expect(charged.every((r) => r.outcome === "charged" && r.paymentStatus === "succeeded")).toBe(true);
  });

  it("advances the others when one subscription cannot be, then throws that one's error", async () => {
    const subs = await endedPeriods(3);
    const broken = subs[1]!;
    // Its current period's row is gone: the transition cannot find what to close.
    await h.db.updateTable("subscriptions").set({ current_period_start: new Date("2001-01-01T00:00:00Z") }).where("id", "=", broken.subscriptionId).execute();

    await expect(advanceSubscriptionPeriods(h.deps, { subscriptionIds: subs.map((s) => s.subscriptionId) })).rejects.toMatchObject({ code: "billing_period_missing" });

    for (const sub of [subs[0]!, subs[2]!]) {
      const state = await stateOf(h, sub.subscriptionId);
      expect(state.subscription.current_period_end.getTime()).toBeGreaterThan(h.clock.now().getTime());
      expect(state.runs).toHaveLength(2);
    }
    expect((await stateOf(h, broken.subscriptionId)).runs).toHaveLength(1);
  });
});

function fail(stderr: string): never {
  throw new Error(`the worker exited before its charges: ${stderr}`);
}
