import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isDomainError } from "@paycron/core";
import { useTestDb } from "@paycron/db/testing";
import { startResendCapture, type ResendCapture } from "../../../tests/support/resend-capture.ts";
import { emailKey, sendEmail, type EmailTransport } from "../src/index.ts";
import { depsWith, receipt, rejection, resendTransportFor } from "./support.ts";

describe("sendEmail through Resend: one email per business occurrence", () => {
  const t = useTestDb();
  let capture: ResendCapture;
  beforeAll(async () => {
    capture = await startResendCapture();
  });
  afterAll(() => capture.close());

  const emailsUnder = (key: string) => capture.emails.filter((e) => e.idempotencyKey === key);
  const requestsUnder = (key: string) => capture.requests.filter((r) => r.idempotencyKey === key);
  const row = (key: string) => t.db.selectFrom("email_deliveries").selectAll().where("idempotency_key", "=", key).executeTakeFirstOrThrow();

  it("renders, sends under the key and records the delivery as sent with the provider's id", async () => {
    const key = emailKey("payment-receipt", "inv_1", "pay_1");
    const result = await sendEmail(depsWith(t.db, resendTransportFor(capture)), receipt(key));
    expect(result.outcome).toBe("sent");
    const [email] = emailsUnder(key);
    expect(email?.body).toMatchObject({ to: "ada@example.com", subject: "Your receipt from Acme Analytics: $49.00" });
    expect(result.delivery).toMatchObject({ status: "sent", provider_message_id: email!.id, recipient: "ada@example.com", template: "payment-receipt" });
    expect(result.delivery.sent_at?.toISOString()).toBe("2027-01-15T09:00:00.000Z");
    expect(result.delivery.html).toBe(email!.body.html);
    expect(result.delivery.text).toBe(email!.body.text);
  });

  it("sends nothing for a key already sent (a redelivered webhook, a duplicate enqueue)", async () => {
    const key = emailKey("payment-receipt", "inv_2", "pay_2");
    const deps = depsWith(t.db, resendTransportFor(capture));
    const first = await sendEmail(deps, receipt(key));
    const again = await sendEmail(deps, receipt(key));
    expect(again.outcome).toBe("already_sent");
    expect(again.delivery.id).toBe(first.delivery.id);
    expect(requestsUnder(key)).toHaveLength(1);
  });

  it("a send retried after the provider accepted the email, but before our write, produces one email", async () => {
    const key = emailKey("payment-receipt", "inv_3", "pay_3");
    const resend = resendTransportFor(capture);
    // The process dies right after Resend accepted the email: the row never becomes `sent`.
    const crashAfterAccept: EmailTransport = {
      kind: "resend",
      async send(email, options) {
        await resend.send(email, options);
        throw new Error("worker killed after the provider's accept");
      },
    };
    await expect(sendEmail(depsWith(t.db, crashAfterAccept), receipt(key))).rejects.toThrow("worker killed");
    expect((await row(key)).status).toBe("pending");
    expect(emailsUnder(key)).toHaveLength(1);

    const retried = await sendEmail(depsWith(t.db, resend), receipt(key));
    expect(retried.outcome).toBe("sent");
    expect(requestsUnder(key)).toHaveLength(2);
    expect(emailsUnder(key)).toHaveLength(1);
    expect(await row(key)).toMatchObject({ status: "sent", provider_message_id: emailsUnder(key)[0]!.id });
  });

  it("resends the stored email on a retry, not a new rendering, so the provider recognises the repeat", async () => {
    const key = emailKey("payment-receipt", "inv_4", "pay_4");
    capture.failNext(1, { status: 500 });
    await rejection(sendEmail(depsWith(t.db, resendTransportFor(capture)), receipt(key)));
    // The retry comes with other props (say, a template change deployed in between): the first rendering is what goes out.
    const changed = { ...receipt(key), props: { ...receipt(key).props, invoiceNumber: "CHANGED-1" } };
    const retried = await sendEmail(depsWith(t.db, resendTransportFor(capture)), changed);
    expect(retried.delivery.html).not.toContain("CHANGED-1");
    expect(emailsUnder(key)[0]!.body.html).not.toContain("CHANGED-1");
  });

  it("a 429 is retryable and leaves the delivery pending; the retry sends one email", async () => {
    const key = emailKey("payment-receipt", "inv_5", "pay_5");
    const deps = depsWith(t.db, resendTransportFor(capture));
    capture.failNext(1, { status: 429, retryAfterSeconds: 2 });
    const limited = await rejection(sendEmail(deps, receipt(key)));
    expect(isDomainError(limited, "email_provider_unavailable")).toBe(true);
    expect((limited as { retryable: boolean }).retryable).toBe(true);
    expect(await row(key)).toMatchObject({ status: "pending", provider_message_id: null });
    expect((await row(key)).error).toContain("429");

    const retried = await sendEmail(deps, receipt(key));
    expect(retried.delivery).toMatchObject({ status: "sent", error: null });
    expect(emailsUnder(key)).toHaveLength(1);
  });

  it("a 4xx fails the delivery for good: not retried, and a later call sends nothing", async () => {
    const key = emailKey("payment-receipt", "inv_6", "pay_6");
    const deps = depsWith(t.db, resendTransportFor(capture));
    capture.failNext(1, { status: 422, name: "validation_error", message: "Invalid `to` field." });
    const refused = await rejection(sendEmail(deps, receipt(key)));
    expect(isDomainError(refused, "email_rejected")).toBe(true);
    expect((refused as { retryable: boolean }).retryable).toBe(false);
    expect(await row(key)).toMatchObject({ status: "failed", provider_message_id: null });

    const later = await rejection(sendEmail(deps, receipt(key)));
    expect(isDomainError(later, "email_delivery_failed")).toBe(true);
    expect((later as { retryable: boolean }).retryable).toBe(false);
    expect(requestsUnder(key)).toHaveLength(1);
    expect(emailsUnder(key)).toHaveLength(0);
  });

  it("duplicate concurrent sends with one key make one row and one email", async () => {
    const key = emailKey("payment-receipt", "inv_7", "pay_7");
    const results = await Promise.all(Array.from({ length: 8 }, () => sendEmail(depsWith(t.db, resendTransportFor(capture)), receipt(key))));
    expect(new Set(results.map((r) => r.delivery.id)).size).toBe(1);
    expect(emailsUnder(key)).toHaveLength(1);
    expect(await t.db.selectFrom("email_deliveries").select("status").where("idempotency_key", "=", key).execute()).toEqual([{ status: "sent" }]);
  });

  it("refuses to send inside a database transaction", async () => {
    const key = emailKey("payment-receipt", "inv_8", "pay_8");
    const error = await rejection(t.db.transaction().execute((tx) => sendEmail(depsWith(tx, resendTransportFor(capture)), receipt(key))));
    expect(isDomainError(error, "IN_TRANSACTION")).toBe(true);
    expect(requestsUnder(key)).toHaveLength(0);
  });
});
