import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "@paycron/core";
import { executeBillingRun } from "@paycron/billing";
import { waitFor } from "@paycron/db/testing";
import { createResendTransport } from "@paycron/email/transport";
import { runUntilIdle } from "@paycron/local-engine/testing";
import { signUp, useBilling } from "../billing/support.ts";
import { startResendCapture, type ResendCapture } from "../support/resend-capture.ts";

const SPAWN_TIMEOUT_MS = 120_000;
const WORKER = fileURLToPath(new URL("./fixtures/send-notification.ts", import.meta.url));
const h = useBilling();
let resend: ResendCapture;
beforeAll(async () => {
  resend = await startResendCapture();
});
afterAll(() => resend?.close());

describe("an email task killed after Resend accepted its email", () => {
  it("sends one email: the retry on the local engine calls Resend with the same key and gets the first email back", async () => {
    const sub = await signUp(h, { organization: { billing_email: "billing@org.example.test" } });
    await executeBillingRun(h.deps, { billingRunId: sub.billingRunId });
    const invoice = await h.db.selectFrom("invoices").select(["id", "status"]).where("subscription_id", "=", sub.subscriptionId).executeTakeFirstOrThrow();
    expect(invoice.status).toBe("paid");

    // The worker renders the receipt, records the pending delivery, and Resend accepts the email;
    // it never hears back and is killed before it can write `sent`.
    resend.holdAfterAccept(1);
    const worker = spawn(
      process.execPath,
      ["--import", "tsx", WORKER, h.url, resend.url, h.documents.dataDir, "notifications-payment-receipt", JSON.stringify({ invoiceId: invoice.id }), h.clock.now().toISOString()],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let stderr = "";
    worker.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => worker.once("exit", (_code, signal) => resolve(signal)));
    await waitFor(async () => {
      if (worker.exitCode !== null) throw new Error(`the worker exited before sending: ${stderr}`);
      return resend.emails.length === 1;
    }, "Resend's accept", 60_000);
    worker.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    const [accepted] = resend.emails;
    const pending = await h.db.selectFrom("email_deliveries").selectAll().where("template", "=", "payment-receipt").execute();
    expect(pending).toMatchObject([{ status: "pending", provider_message_id: null, idempotency_key: accepted!.idempotencyKey }]);

    // The real tasks run on the local engine: the receipt's task enqueues the email again (same
    // outbox key: the same run if it still lived), the email task finds the pending delivery and
    // sends the stored email under its key.
    const email = createResendTransport({ apiKey: "re_test_capture", from: "Paycron <billing@paycron.localhost>", baseUrl: resend.url });
    await runUntilIdle({
      db: h.db,
      connectionString: h.url,
      clock: h.clock,
      logger: silentLogger(),
      providers: { ...h.providers, email: () => email },
      timeoutMs: 60_000,
    });
    const unfinished = await h.db.selectFrom("task_runs").select(["task_id", "status"]).where("status", "<>", "completed").execute();
    expect(unfinished).toEqual([]);

    const receipts = resend.emails.filter((e) => e.idempotencyKey === accepted!.idempotencyKey);
    expect(receipts).toHaveLength(1);
    expect(resend.requests.filter((r) => r.idempotencyKey === accepted!.idempotencyKey).map((r) => r.status)).toEqual([200, 200]);
    const delivered = await h.db.selectFrom("email_deliveries").selectAll().where("template", "=", "payment-receipt").execute();
    expect(delivered).toMatchObject([{ status: "sent", provider_message_id: accepted!.id }]);
    // Everything else the payment called for went out once too.
    expect(resend.emails.map((e) => e.idempotencyKey!.split(":")[1]).sort()).toEqual(["org-payment-succeeded", "payment-receipt", "subscription-created"]);
  }, SPAWN_TIMEOUT_MS);
});
