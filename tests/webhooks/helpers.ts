import { connect } from "node:net";
import { Writable } from "node:stream";
import pg from "pg";
import { type Clock, createLogger, silentLogger, TestClock } from "@paycron/core";
import type { Db } from "@paycron/db";
import { buildSampleSupabasePayload } from "@paycron/inbox";
import { buildSampleStripeEvent, signStripeEvent, signStripePayload, type SampleStripeEventType } from "@paycron/stripe";
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

/** JSON text of `levels` arrays nested in one another, `[[[]]]` for 3: built as text, since serialising a value this deep overflows. */
export const nestedArrays = (levels: number) => "[".repeat(levels) + "]".repeat(levels);

/** JSON text of `levels` (≥ 1) objects nested in one another, `{"a":{"a":{}}}` for 3. */
export const nestedObjects = (levels: number) => '{"a":'.repeat(levels - 1) + "{}" + "}".repeat(levels - 1);

const HOLE = "__nested_here__";

/** A signed Stripe delivery whose data.object is `levels` nested arrays: the body nests levels + 2 deep (event, data). */
export function deepStripeDelivery(levels: number, options: { clock?: Clock } = {}) {
  const clock = options.clock ?? new TestClock(REFERENCE_TIME);
  const event = buildSampleStripeEvent("payment_intent.succeeded", { clock });
  const body = JSON.stringify({ ...event, data: { object: HOLE } }).replace(`"${HOLE}"`, nestedArrays(levels));
  const signature = signStripePayload(body, STRIPE_SECRET, Math.floor(clock.now().getTime() / 1000));
  return { body, headers: { "content-type": "application/json", "stripe-signature": signature } };
}

/** An authorised Supabase delivery whose record holds `levels` nested objects: the body nests levels + 2 deep (payload, record). */
export function deepSupabaseDelivery(levels: number, options: { clock?: Clock } = {}) {
  const payload = buildSampleSupabasePayload("customers:INSERT", { clock: options.clock ?? new TestClock(REFERENCE_TIME), record: { nested: HOLE } });
  const body = JSON.stringify(payload).replace(`"${HOLE}"`, nestedObjects(levels));
  return { body, headers: { "content-type": "application/json", authorization: `Bearer ${SUPABASE_SECRET}` } };
}

/** A debug-level logger whose lines the test reads back, parsed, and as raw text. */
export function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  let raw = "";
  const destination = new Writable({
    write(chunk, _enc, done) {
      raw += chunk.toString();
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { logger: createLogger({ name: "webhooks-test", level: "debug", destination }), lines, raw: () => raw };
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

/** Sends `head` and part of a body, then hangs up before the rest; resolves once the socket has closed. */
export function hangUpMidBody(port: number, head: string, partialBody: string): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(head + partialBody, () => socket.destroy()));
    socket.on("error", () => {});
    socket.on("close", () => resolve());
  });
}
