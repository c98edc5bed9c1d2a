import { describe, expect, it } from "vitest";
import { silentLogger } from "@paycron/core";
import { runUntilIdle } from "@paycron/local-engine/testing";
import { DAY_MS, HOUR_MS, signUp, stateOf, useBilling } from "./support.ts";

const h = useBilling();
/** The real tasks on the local engine; crons fire and delayed runs come due by the test clock. */
const drain = () =>
  runUntilIdle({ db: h.db, connectionString: h.url, clock: h.clock, logger: silentLogger(), crons: true, providers: h.providers, timeoutMs: 60_000 });

describe("billing end to end on the local engine", () => {
  it("charges at sign-up, renews at each period through the hourly cron, and catches up a missed tick and a day of downtime", async () => {
    await drain(); // the crons start counting from now, as a new Trigger.dev schedule does
    const good = await signUp(h, { organization: { billing_email: "billing@org.example.test" } });
    const declined = await signUp(h, { card: "pm_card_chargeCustomerFail", organizationId: good.organizationId });
    await drain();

    expect((await stateOf(h, good.subscriptionId)).subscription.status).toBe("active");
    expect((await stateOf(h, declined.subscriptionId)).subscription.status).toBe("incomplete");
    // 23 hours on, the task enqueued at the failure expires it.
    h.clock.advance(23 * HOUR_MS);
    await drain();
    expect((await stateOf(h, declined.subscriptionId)).subscription.status).toBe("incomplete_expired");

    // Downtime: nothing ran for the whole day the period ended; the first tick after catches up.
    const { subscription } = await stateOf(h, good.subscriptionId);
    h.clock.set(subscription.current_period_end.getTime() + DAY_MS + HOUR_MS);
    await drain();

    const renewed = await stateOf(h, good.subscriptionId);
    expect(renewed.subscription.status).toBe("active");
    expect(renewed.subscription.current_period_start).toEqual(subscription.current_period_end);
    // The two sign-ups' first runs ran side by side and took numbers 1 and 2 in either order; the renewal came after both.
    expect(renewed.invoices.map((i) => [i.number, i.status, i.amount_paid])).toEqual([
      [expect.stringMatching(/^INV-00000[12]$/), "paid", 4900],
      ["INV-000003", "paid", 4900],
    ]);
    const runs = await h.db.selectFrom("task_runs").select(["task_id", "status"]).where("status", "<>", "completed").execute();
    expect(runs).toEqual([]);
    const undispatched = await h.db.selectFrom("task_outbox").select("task_id").where("dispatched_at", "is", null).where("available_at", "<=", h.clock.now()).execute();
    expect(undispatched).toEqual([]);

    // Each paid invoice has its PDF (the PAID version) and its receipt stored; each payment one
    // receipt email to the customer and one notice to the organization, and the start one welcome.
    for (const invoice of await h.db.selectFrom("invoices").select(["pdf_object", "receipt_object"]).where("subscription_id", "=", good.subscriptionId).execute()) {
      expect(invoice.pdf_object).toMatch(/^invoices\/.+\/invoice-[0-9a-f]{16}\.pdf$/);
      expect(invoice.receipt_object).toMatch(/^invoices\/.+\/receipt-[0-9a-f]{16}\.pdf$/);
      expect(await h.documents.storage.exists(invoice.pdf_object!)).toBe(true);
      expect(await h.documents.storage.exists(invoice.receipt_object!)).toBe(true);
    }
    const { email: customer } = await h.db.selectFrom("customers").select("email").where("id", "=", good.customerId).executeTakeFirstOrThrow();
    const emails = await h.db.selectFrom("email_deliveries").select(["template", "recipient", "status"]).orderBy("template").orderBy("created_at").execute();
    expect(emails).toEqual([
      { template: "org-payment-succeeded", recipient: "billing@org.example.test", status: "sent" },
      { template: "org-payment-succeeded", recipient: "billing@org.example.test", status: "sent" },
      { template: "payment-receipt", recipient: customer, status: "sent" },
      { template: "payment-receipt", recipient: customer, status: "sent" },
      { template: "subscription-created", recipient: customer, status: "sent" },
    ]);
  }, 120_000);
});
