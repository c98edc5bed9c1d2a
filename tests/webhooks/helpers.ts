import { connect } from "node:net";
import pg from "pg";
import { type Clock, silentLogger, TestClock } from "@paycron/core";
import type { Db } from "@paycron/db";
import { buildSampleStripeEvent, signStripeEvent, type SampleStripeEventType } from "@paycron/stripe";
import { createApp, loadWebhookConfig, type WebhookConfig } from "@paycron/webhooks";

export const STRIPE_SECRET = "whsec_test_current_0123456789abcdef";
export const STRIPE_OLD_SECRET = "whsec_test_previous_0123456789abcdef";
export const SUPABASE_SECRET = "supabase-test-secret-0123456789";

/** 2026-03-01T12:00:00Z: a fixed instant, so signature ages are exact. */
export const REFERENCE_TIME = "2026-03-01T12:00:00.000Z";

export function testConfig(overrides: Record<string, string> = {}): WebhookConfig {
  return loadWebhookConfig({
    STRIPE_WEBHOOK_SECRETS: `${STRIPE_SECRET},${STRIPE_OLD_SECRET}`,
    SUPABASE_WEBHOOK_SECRET: SUPABASE_SECRET,
    ...overrides,
  });
}

export function testApp(db: Db, options: { config?: WebhookConfig; clock?: TestClock } = {}) {
  const clock = options.clock ?? new TestClock(REFERENCE_TIME);
  const app = createApp({ db, config: options.config ?? testConfig(), logger: silentLogger(), clock });
  return { app, clock };
}

/** A signed delivery of a fresh sample event, as Stripe would POST it. */
export function stripeDelivery(
  type: SampleStripeEventType | (string & {}),
  options: { clock?: Clock; secret?: string; id?: string; timestampSeconds?: number } = {},
) {
  const clock = options.clock ?? new TestClock(REFERENCE_TIME);
  const event = buildSampleStripeEvent(type, { clock, id: options.id });
  const signed = signStripeEvent(event, options.secret ?? STRIPE_SECRET, { clock, timestampSeconds: options.timestampSeconds });
  return { event, ...signed, init: { method: "POST", headers: signed.headers, body: signed.body } satisfies RequestInit };
}

export async function countRows(db: Db, table: "webhook_events" | "task_outbox"): Promise<number> {
  const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function truncateInbox(db: Db): Promise<void> {
  await db.deleteFrom("task_outbox").execute();
  await db.deleteFrom("webhook_events").execute();
}

/** Raw SQL for test set-up (triggers, functions) on the test file's own database. */
export async function execSql(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** Writes raw bytes to the server (what fetch cannot send) and resolves with whatever it answered. */
export function rawRequest(port: number, bytes: string, timeoutMs = 2_000): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let data = "";
    socket.setTimeout(timeoutMs, () => socket.destroy());
    socket.on("data", (d) => (data += d.toString()));
    socket.on("close", () => resolve(data));
    socket.on("error", () => resolve(data));
    socket.write(bytes);
  });
}
