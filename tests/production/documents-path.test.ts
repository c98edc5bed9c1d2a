import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { silentLogger, systemClock } from "@paycron/core";
import { withTransaction } from "@paycron/db";
import { createCustomer, createOrganization, useTestDb, waitFor } from "@paycron/db/testing";
import { clearTaskDeps, dispatchDue, enqueue, installTaskDeps, triggerEngine } from "@paycron/runtime";
import { loadTaskCatalog } from "@paycron/runtime/catalog";
import { executeAsDeployedWorker, type DeployedAttemptResult } from "@paycron/runtime/testing";
import { taskDepsFromEnvironment } from "@paycron/runtime/worker";
import { startResendCapture, type ResendCapture } from "../support/resend-capture.ts";
import { startSupabaseStorageStandIn, type SupabaseStorageStandIn } from "../support/supabase-storage-stand-in.ts";
import { startTriggerApiStandIn, type TriggerApiStandIn } from "../support/trigger-api-stand-in.ts";

/*
 * Documents and emails on the production path, offline: the worker's deps are built from its
 * environment as on Trigger.dev (Supabase Storage, Resend, APP_URL), each pointed at a loopback
 * stand-in; runs go through a stand-in of the Trigger.dev API, which executes them with
 * Trigger.dev's own TaskExecutor.
 */
const t = useTestDb();
let api: TriggerApiStandIn;
let supabase: SupabaseStorageStandIn;
let resend: ResendCapture;
const executed = new Map<string, Promise<DeployedAttemptResult>>();

beforeAll(async () => {
  supabase = await startSupabaseStorageStandIn({ clock: systemClock, buckets: [{ id: "paycron-documents" }] });
  resend = await startResendCapture();
  api = await startTriggerApiStandIn({ onTrigger: (tr) => executed.set(tr.runId, executeAsDeployedWorker(tr.taskId, tr.payload, { runId: tr.runId })) });
  await loadTaskCatalog();
});
afterAll(async () => {
  await api.close();
  await supabase.close();
  await resend.close();
});
afterEach(() => clearTaskDeps());

const workerEnv = () => ({
  DATABASE_URL: t.url,
  TRIGGER_SECRET_KEY: "tr_prod_standin",
  TRIGGER_API_URL: api.url,
  STRIPE_SECRET_KEY: "sk_test_unused",
  SUPABASE_URL: supabase.url,
  SUPABASE_SERVICE_ROLE_KEY: supabase.serviceRoleKey,
  RESEND_API_KEY: "re_test_standin",
  RESEND_BASE_URL: resend.url,
  EMAIL_FROM: "Acme billing <billing@acme.example>",
  APP_URL: "https://app.acme.example",
  LOG_LEVEL: "silent",
});

async function paidInvoice() {
  const organization = await createOrganization(t.db, { name: "Acme Ødegård", billing_email: "finance@acme.example", address_lines: ["1 Rue de la Paix", "75002 Paris"] });
  const customer = await createCustomer(t.db, { organization_id: organization.id, name: "Zoë Łukasz", locale: "fr-FR", address_lines: ["Stortingsgata 4", "0158 Oslo"] });
  const now = new Date();
  return t.db
    .insertInto("invoices")
    .values({
      organization_id: organization.id,
      customer_id: customer.id,
      number: `ACME-${Math.floor(Math.random() * 1e6)}`,
      status: "paid",
      currency: "EUR",
      subtotal: 4900,
      total: 4900,
      amount_paid: 4900,
      amount_due: 0,
      issued_at: now,
      due_at: now,
      paid_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

describe("documents and emails on Trigger.dev (loopback stand-ins of its API, Supabase Storage and Resend)", () => {
  it("the receipt task stores the PDF in the private bucket, and the email task it hands on sends one email linking a signed URL that serves it", async () => {
    const deps = taskDepsFromEnvironment(workerEnv());
    installTaskDeps(deps);
    const invoice = await paidInvoice();
    await withTransaction(t.db, (tx) => enqueue(tx, "documents-receipt-pdf", { invoiceId: invoice.id }, { idempotencyKey: `receipt-pdf:${invoice.id}`, clock: systemClock }));
    await dispatchDue({ db: t.db, clock: systemClock, logger: silentLogger(), engine: triggerEngine({ secretKey: "tr_prod_standin", baseURL: api.url }) });

    const receiptRun = api.triggers.find((tr) => tr.taskId === "documents-receipt-pdf")!;
    const receiptResult = await executed.get(receiptRun.runId);
    expect(receiptResult, JSON.stringify(receiptResult)).toMatchObject({ ok: true });
    const { receipt_object } = await t.db.selectFrom("invoices").select("receipt_object").where("id", "=", invoice.id).executeTakeFirstOrThrow();
    expect(supabase.keys("paycron-documents")).toEqual([receipt_object]);
    expect(supabase.object("paycron-documents", receipt_object!)).toMatchObject({ contentType: "application/pdf" });

    // Handed to Trigger.dev by the receipt's run after its commit, then executed as deployed.
    const emailRun = await waitFor(async () => api.triggers.find((tr) => tr.taskId === "notifications-payment-receipt"), "the receipt email's run");
    expect(await executed.get(emailRun.runId)).toMatchObject({ ok: true });
    expect(resend.emails).toHaveLength(1);
    const [sent] = resend.emails;
    expect(sent!.body).toMatchObject({ from: "Acme billing <billing@acme.example>", to: expect.stringMatching(/@example\.test$/) });
    expect(sent!.idempotencyKey).toBe(`email:payment-receipt:${invoice.id}:paid`);
    expect(sent!.body.subject).toMatch(/reçu|Reçu/);
    const link = /href="([^"]+\/object\/sign\/[^"]+)"/.exec(String(sent!.body.html))?.[1]?.replaceAll("&amp;", "&");
    expect(link).toBeDefined();
    const served = await fetch(link!);
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer()).subarray(0, 5).toString()).toBe("%PDF-");
    // Never public: the same object without a signature is refused.
    const publicUrl = `${supabase.url}/storage/v1/object/public/paycron-documents/${receipt_object}`;
    expect((await fetch(publicUrl)).status).toBeGreaterThanOrEqual(400);
  });

  it("a worker missing Resend's key still stores documents; only its email tasks fail, naming the variable", async () => {
    const { RESEND_API_KEY: _, ...env } = workerEnv();
    const deps = taskDepsFromEnvironment(env);
    expect(deps.storage).toBeDefined();
    expect(() => deps.email).toThrow(/RESEND_API_KEY/);
  });
});
