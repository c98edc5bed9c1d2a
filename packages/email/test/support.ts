import { silentLogger, TestClock } from "@paycron/core";
import type { Db } from "@paycron/db";
import { createResendTransport, templates, type EmailTransport, type SendEmailDeps, type SendEmailInput } from "../src/index.ts";
import type { ResendCapture } from "../../../tests/support/resend-capture.ts";

/** 15 January 2027, 09:00 UTC: when every test's emails are sent. */
export const REFERENCE_TIME = "2027-01-15T09:00:00Z";

export const TEST_API_KEY = "re_test_0123456789abcdef";
export const FROM = "Acme billing <billing@acme.example>";

export function resendTransportFor(capture: ResendCapture): EmailTransport {
  return createResendTransport({ apiKey: TEST_API_KEY, from: FROM, baseUrl: capture.url });
}

export function depsWith(db: Db, transport: EmailTransport): SendEmailDeps {
  return { db, clock: new TestClock(REFERENCE_TIME), transport, logger: silentLogger() };
}

/** A receipt for one invoice payment; `key` makes each test's occurrence its own. */
export function receipt(key: string): SendEmailInput<"payment-receipt"> {
  return { template: "payment-receipt", props: templates["payment-receipt"].previewProps, locale: "en-US", to: "ada@example.com", idempotencyKey: key };
}

/** The error a promise rejects with (the test fails if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}
