import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isDomainError } from "@paycron/core";
import { startResendCapture, type ResendCapture } from "../../../tests/support/resend-capture.ts";
import type { OutgoingEmail } from "../src/index.ts";
import { FROM, rejection, resendTransportFor, TEST_API_KEY } from "./support.ts";

const email: OutgoingEmail = { to: "ada@example.com", subject: "Your receipt", html: "<p>Thanks</p>", text: "Thanks", template: "payment-receipt" };

describe("the Resend transport, with the real resend SDK against the capture server", () => {
  let capture: ResendCapture;
  beforeAll(async () => {
    capture = await startResendCapture();
  });
  afterAll(() => capture.close());

  it("sends the key as Bearer, the idempotency key as Idempotency-Key, and from, to, subject, html and text", async () => {
    const transport = resendTransportFor(capture);
    const { providerMessageId } = await transport.send(email, { idempotencyKey: "t1:headers" });
    const request = capture.requests.at(-1)!;
    expect(request.authorization).toBe(`Bearer ${TEST_API_KEY}`);
    expect(request.idempotencyKey).toBe("t1:headers");
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.body).toMatchObject({ from: FROM, to: "ada@example.com", subject: "Your receipt", html: "<p>Thanks</p>", text: "Thanks" });
    expect(capture.emails.find((e) => e.idempotencyKey === "t1:headers")?.id).toBe(providerMessageId);
  });

  it("answers a repeated key with the first message id and sends nothing more", async () => {
    const transport = resendTransportFor(capture);
    const first = await transport.send(email, { idempotencyKey: "t1:repeat" });
    const second = await transport.send(email, { idempotencyKey: "t1:repeat" });
    expect(second.providerMessageId).toBe(first.providerMessageId);
    expect(capture.emails.filter((e) => e.idempotencyKey === "t1:repeat")).toHaveLength(1);
  });

  it("turns a 429 into a retryable error carrying Retry-After, and a 5xx or no answer too", async () => {
    const transport = resendTransportFor(capture);
    capture.failNext(1, { status: 429, retryAfterSeconds: 7 });
    const limited = await rejection(transport.send(email, { idempotencyKey: "t1:429" }));
    expect(isDomainError(limited, "email_provider_unavailable")).toBe(true);
    expect((limited as { retryable: boolean }).retryable).toBe(true);
    expect((limited as { options: { details: { retryAfterSeconds: number } } }).options.details.retryAfterSeconds).toBe(7);

    capture.failNext(1, { status: 503 });
    const down = await rejection(transport.send(email, { idempotencyKey: "t1:503" }));
    expect(isDomainError(down, "email_provider_unavailable") && (down as { retryable: boolean }).retryable).toBe(true);

    const closed = await startResendCapture();
    await closed.close();
    const unreachable = await rejection(resendTransportFor(closed).send(email, { idempotencyKey: "t1:unreachable" }));
    expect(isDomainError(unreachable, "email_provider_unavailable") && (unreachable as { retryable: boolean }).retryable).toBe(true);
  });

  it("turns any other 4xx into a non-retryable rejection", async () => {
    const transport = resendTransportFor(capture);
    capture.failNext(1, { status: 422, name: "validation_error", message: "Invalid `to` field." });
    const refused = await rejection(transport.send(email, { idempotencyKey: "t1:422" }));
    expect(isDomainError(refused, "email_rejected")).toBe(true);
    expect((refused as { retryable: boolean }).retryable).toBe(false);
    capture.failNext(1, { status: 403, name: "invalid_api_key", message: "API key is invalid" });
    const noKey = await rejection(transport.send(email, { idempotencyKey: "t1:403" }));
    expect(isDomainError(noKey, "email_rejected")).toBe(true);
  });

  it("refuses a key reused for another email (Resend's invalid_idempotent_request) without retrying", async () => {
    const transport = resendTransportFor(capture);
    await transport.send(email, { idempotencyKey: "t1:conflict" });
    const conflict = await rejection(transport.send({ ...email, subject: "Another subject" }, { idempotencyKey: "t1:conflict" }));
    expect(isDomainError(conflict, "email_idempotency_conflict")).toBe(true);
    expect((conflict as { retryable: boolean }).retryable).toBe(false);
    expect(capture.emails.filter((e) => e.idempotencyKey === "t1:conflict")).toHaveLength(1);
  });
});
