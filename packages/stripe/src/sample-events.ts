import { randomBytes } from "node:crypto";
import Stripe from "stripe";
import { type Clock, systemClock } from "@paycron/core";
import charge from "./fixtures/charge.json" with { type: "json" };
import customer from "./fixtures/customer.json" with { type: "json" };
import dispute from "./fixtures/dispute.json" with { type: "json" };
import eventEnvelope from "./fixtures/event.json" with { type: "json" };
import paymentIntent from "./fixtures/payment-intent.json" with { type: "json" };
import paymentMethod from "./fixtures/payment-method.json" with { type: "json" };
import setupIntent from "./fixtures/setup-intent.json" with { type: "json" };
import { signStripePayload } from "./webhook-verification.ts";

/*
 * Realistic events for tests, the CLI and benchmarks. The objects are Stripe's own API fixtures
 * (src/fixtures, from stripe-openapi's fixtures3.json); each type below moves the object into
 * the state Stripe reports for that event, so handlers written against these samples meet the
 * fields a real delivery carries.
 */

type Json = Record<string, unknown>;

const clone = <T>(value: T): T => structuredClone(value);
const stripeId = (prefix: string) => `${prefix}_${randomBytes(12).toString("base64url").replace(/[-_]/g, "x")}`;

const samples = {
  "payment_intent.succeeded": (amount: number) => ({
    ...clone(paymentIntent),
    amount,
    amount_received: amount,
    status: "succeeded",
    latest_charge: charge.id,
    payment_method: paymentMethod.id,
    last_payment_error: null,
    next_action: null,
    canceled_at: null,
  }),
  "payment_intent.payment_failed": (amount: number) => ({
    ...clone(paymentIntent),
    amount,
    status: "requires_payment_method",
    payment_method: null,
    next_action: null,
    canceled_at: null,
    last_payment_error: {
      type: "card_error",
      code: "card_declined",
      decline_code: "insufficient_funds",
      message: "Your card has insufficient funds.",
      payment_method: clone(paymentMethod),
    },
  }),
  "payment_intent.processing": (amount: number) => ({
    ...clone(paymentIntent),
    amount,
    status: "processing",
    payment_method: paymentMethod.id,
    payment_method_types: ["us_bank_account"],
    last_payment_error: null,
    next_action: null,
    canceled_at: null,
    processing: { type: "us_bank_account" },
  }),
  "payment_intent.requires_action": (amount: number) => ({
    ...clone(paymentIntent),
    amount,
    status: "requires_action",
    payment_method: paymentMethod.id,
    last_payment_error: null,
    canceled_at: null,
    next_action: { type: "use_stripe_sdk", use_stripe_sdk: { type: "three_d_secure_redirect", stripe_js: "https://hooks.stripe.com/3d_secure_2/hosted" } },
  }),
  "payment_intent.canceled": (amount: number, created: number) => ({
    ...clone(paymentIntent),
    amount,
    status: "canceled",
    cancellation_reason: "requested_by_customer",
    canceled_at: created,
    last_payment_error: null,
    next_action: null,
  }),
  "charge.refunded": (amount: number) => ({
    ...clone(charge),
    amount,
    amount_captured: amount,
    amount_refunded: amount,
    captured: true,
    refunded: true,
    payment_intent: paymentIntent.id,
  }),
  "charge.dispute.created": (amount: number) => ({
    ...clone(dispute),
    amount,
    payment_intent: paymentIntent.id,
    status: "needs_response",
  }),
  "setup_intent.succeeded": () => ({
    ...clone(setupIntent),
    status: "succeeded",
    customer: customer.id,
    payment_method: paymentMethod.id,
    last_setup_error: null,
    next_action: null,
  }),
  "payment_method.detached": () => ({ ...clone(paymentMethod), customer: null }),
  "customer.updated": () => ({
    ...clone(customer),
    email: "jenny.rosen@example.com",
    name: "Jenny Rosen",
    invoice_settings: { ...clone(customer.invoice_settings), default_payment_method: paymentMethod.id },
  }),
} satisfies Record<string, (amount: number, created: number) => Json>;

/** Previous values Stripe sends with `*.updated` events. */
const previousAttributes: Partial<Record<SampleStripeEventType, Json>> = {
  "customer.updated": { email: null, name: null },
};

export type SampleStripeEventType = keyof typeof samples;
export const SAMPLE_STRIPE_EVENT_TYPES = Object.keys(samples) as SampleStripeEventType[];

export function isSampleStripeEventType(type: string): type is SampleStripeEventType {
  return Object.hasOwn(samples, type);
}

export interface SampleStripeEventOptions {
  /** Defaults to a fresh `evt_…` id, so every sample is a new delivery. */
  id?: string;
  clock?: Clock;
  /** Minor units, for the money-carrying objects. */
  amount?: number;
  /** Merged over the data object, e.g. `{ metadata: { billing_run_id } }`. */
  object?: Json;
}

/** A Stripe event of `type` in the envelope shape of the current API version. */
export function buildSampleStripeEvent(type: SampleStripeEventType | (string & {}), options: SampleStripeEventOptions = {}): Json {
  const created = Math.floor((options.clock ?? systemClock).now().getTime() / 1000);
  const make = isSampleStripeEventType(type) ? samples[type] : () => ({ id: stripeId("obj"), object: type.split(".")[0] });
  const object = { ...make(options.amount ?? 4900, created), ...options.object };
  const previous = isSampleStripeEventType(type) ? previousAttributes[type] : undefined;
  return {
    ...clone(eventEnvelope),
    id: options.id ?? stripeId("evt"),
    api_version: Stripe.API_VERSION,
    created,
    type,
    livemode: false,
    pending_webhooks: 1,
    request: { id: stripeId("req"), idempotency_key: null },
    data: previous ? { object, previous_attributes: previous } : { object },
  };
}

export interface SignedStripeDelivery {
  body: string;
  headers: { "content-type": string; "stripe-signature": string };
}

/** An event serialised and signed the way Stripe delivers it. */
export function signStripeEvent(event: Json, secret: string, options: { clock?: Clock; timestampSeconds?: number } = {}): SignedStripeDelivery {
  const body = JSON.stringify(event, null, 2);
  const timestamp = options.timestampSeconds ?? Math.floor((options.clock ?? systemClock).now().getTime() / 1000);
  return {
    body,
    headers: { "content-type": "application/json; charset=utf-8", "stripe-signature": signStripePayload(body, secret, timestamp) },
  };
}
