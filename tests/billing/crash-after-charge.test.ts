import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { BILLING_RUN_LEASE_MS, executeBillingRun, sweepHourly } from "@paycron/billing";
import { waitFor } from "@paycron/db/testing";
import { chargesOf, paymentIntentsOf, signUp, stateOf, useBilling } from "./support.ts";

/** A test that starts a worker process: tsx compiling it on a loaded machine can take most of the default 30 s. */
const SPAWN_TIMEOUT_MS = 120_000;
const h = useBilling();
const fail = (stderr: string): never => {
  throw new Error(`the worker exited before its charge: ${stderr}`);
};
const WORKER = fileURLToPath(new URL("./fixtures/execute-billing-run.ts", import.meta.url));

describe("crashes and faults around the charge", () => {
  it("a worker SIGKILLed after Stripe charged, before the result was written, is recovered by the hourly cron once the lease expires: the retry gets the same PaymentIntent back, and the customer is charged once", async () => {
    const sub = await signUp(h);
    h.emulator.faults.holdAfterCharge(1);

    const worker = spawn(process.execPath, ["--import", "tsx", WORKER, h.url, h.emulator.url, sub.billingRunId, h.clock.now().toISOString()], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    worker.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => worker.once("exit", (_code, signal) => resolve(signal)));
    // Stripe has made the charge and stored its answer under the run's key; the worker waits for it.
    await waitFor(async () => h.emulator.requests().some((r) => r.fault === "hold") || (worker.exitCode !== null && fail(stderr)), "the worker's charge", 60_000);
    worker.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");

    expect(chargesOf(h, sub.stripeCustomerId)).toHaveLength(1);
    const killed = await stateOf(h, sub.subscriptionId);
    expect(killed.payments).toEqual([]);
    expect(killed.runs).toMatchObject([{ status: "in_progress", charge_amount: 4900 }]);
    expect(killed.invoices).toMatchObject([{ status: "open", amount_paid: 0 }]);

    // Within the lease nobody else may take the run.
    expect(await executeBillingRun(h.deps, { billingRunId: sub.billingRunId })).toEqual({ outcome: "not_claimed", status: "in_progress" });

    h.clock.advance(BILLING_RUN_LEASE_MS);
    const sweep = await sweepHourly(h.deps);
    expect(sweep.expiredLeases.enqueued).toBeGreaterThanOrEqual(1);
    const result = await executeBillingRun(h.deps, { billingRunId: sub.billingRunId });

    const [pi, ...more] = paymentIntentsOf(h, sub.billingRunId);
    expect(more).toEqual([]);
    expect(result).toMatchObject({ outcome: "charged", paymentStatus: "succeeded", paymentIntentId: pi!.id });
    expect(chargesOf(h, sub.stripeCustomerId)).toHaveLength(1);
    const recovered = await stateOf(h, sub.subscriptionId);
    expect(recovered.payments).toMatchObject([{ status: "succeeded", amount: 4900, stripe_payment_intent_id: pi!.id }]);
    expect(recovered.invoices).toMatchObject([{ status: "paid", amount_paid: 4900 }]);
    expect(recovered.subscription.status).toBe("active");
    // The second request was Stripe's replay of the first, not a new charge.
    const creates = h.emulator.requests().filter((r) => r.path === "/v1/payment_intents" && r.idempotencyKey?.includes(sub.billingRunId));
    expect(creates.map((r) => r.replayed)).toEqual([false, true]);
  }, SPAWN_TIMEOUT_MS);

  it("a connection dropped after the charge is retried with the same key, and Stripe's replay is applied: one charge", async () => {
    const sub = await signUp(h);
    h.emulator.faults.dropAfterCharge(1);

    const result = await executeBillingRun(h.deps, { billingRunId: sub.billingRunId });

    expect(result).toMatchObject({ outcome: "charged", paymentStatus: "succeeded" });
    const creates = h.emulator.requests().filter((r) => r.path === "/v1/payment_intents" && r.idempotencyKey?.includes(sub.billingRunId));
    expect(creates.map((r) => [r.fault ?? null, r.replayed])).toEqual([["drop", false], [null, true]]);
    expect(paymentIntentsOf(h, sub.billingRunId)).toHaveLength(1);
    expect(chargesOf(h, sub.stripeCustomerId)).toHaveLength(1);
  });

  it("gives the lease back when Stripe cannot be reached, so the task's retry claims the run at once", async () => {
    const sub = await signUp(h);
    h.emulator.faults.failNext(10, 503);

    await expect(executeBillingRun(h.deps, { billingRunId: sub.billingRunId })).rejects.toThrow();
    h.emulator.faults.clear();
    const { runs } = await stateOf(h, sub.subscriptionId);
    expect(runs).toMatchObject([{ status: "in_progress" }]);
    expect(runs[0]!.lease_until!.getTime()).toBeLessThanOrEqual(h.clock.now().getTime());

    expect(await executeBillingRun(h.deps, { billingRunId: sub.billingRunId })).toMatchObject({ outcome: "charged", paymentStatus: "succeeded" });
    expect(chargesOf(h, sub.stripeCustomerId)).toHaveLength(1);
  });
});
