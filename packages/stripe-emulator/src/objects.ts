import { createHash } from "node:crypto";
import Stripe from "stripe";
import fixtures from "./fixtures/stripe-fixtures.json" with { type: "json" };
import type { TestMethod } from "./test-methods.ts";

/*
 * Objects are built from Stripe's own published fixtures (fixtures3.json, the file stripe-mock
 * serves): every field of the fixture is present, and the placeholder values stripe-mock carries
 * (`obj_123`, `"type": "type"`, a `last_payment_error` of `idempotency_error`) are replaced by
 * what Stripe returns for the object's state.
 */

export type Json = Record<string, any>;

const fixture = (name: keyof typeof fixtures): Json => structuredClone(fixtures[name]) as Json;

export const API_VERSION: string = Stripe.API_VERSION;

const nullAddress = () => ({ city: null, country: null, line1: null, line2: null, postal_code: null, state: null });

export function fingerprint(seed: string): string {
  return createHash("sha256").update(seed).digest("base64url").replace(/[-_]/g, "x").slice(0, 16);
}

export function buildCustomer(id: string, created: number, params: Json): Json {
  return {
    ...fixture("customer"),
    id,
    created,
    address: params.address ?? null,
    currency: null,
    discount: null,
    email: params.email ?? null,
    name: params.name ?? null,
    phone: params.phone ?? null,
    description: params.description ?? null,
    invoice_prefix: id.slice(4, 12).toUpperCase(),
    invoice_settings: {
      custom_fields: null,
      default_payment_method: params.invoice_settings?.default_payment_method ?? null,
      footer: null,
      rendering_options: null,
    },
    metadata: params.metadata ?? {},
    preferred_locales: params.preferred_locales ?? [],
    shipping: null,
  };
}

export function buildPaymentMethod(id: string, created: number, token: string, method: TestMethod, metadata: Json = {}): Json {
  const base = fixture("payment_method");
  delete base.card;
  const common = {
    ...base,
    id,
    created,
    customer: null,
    metadata,
    type: method.type,
    billing_details: { address: nullAddress(), email: null, name: null, phone: null, tax_id: null },
  };
  if (method.type === "card") {
    return {
      ...common,
      card: {
        ...(fixture("payment_method").card as Json),
        brand: method.brand,
        display_brand: method.brand,
        funding: method.funding,
        last4: method.last4,
        exp_month: 12,
        exp_year: 2034,
        fingerprint: fingerprint(token),
        generated_from: null,
        networks: { available: [method.brand], preferred: null },
        wallet: null,
      },
    };
  }
  return {
    ...common,
    billing_details: { ...common.billing_details, name: "Jenny Rosen", email: "jenny@example.com" },
    us_bank_account: {
      account_holder_type: "individual",
      account_type: "checking",
      bank_name: "STRIPE TEST BANK",
      financial_connections_account: null,
      fingerprint: fingerprint(token),
      last4: method.last4,
      networks: { preferred: "ach", supported: ["ach"] },
      routing_number: method.routingNumber,
      status_details: {},
    },
  };
}

export function paymentMethodDetails(pm: Json, amount: number): Json {
  if (pm.type === "card") {
    const card = pm.card as Json;
    return {
      card: {
        ...(fixture("charge").payment_method_details.card as Json),
        amount_authorized: amount,
        brand: card.brand,
        exp_month: card.exp_month,
        exp_year: card.exp_year,
        fingerprint: card.fingerprint,
        funding: card.funding,
        last4: card.last4,
        network: card.brand,
        installments: null,
        overcapture: { maximum_amount_capturable: amount, status: "unavailable" },
        wallet: null,
      },
      type: "card",
    };
  }
  const bank = pm.us_bank_account as Json;
  return {
    type: "us_bank_account",
    us_bank_account: {
      account_holder_type: bank.account_holder_type,
      account_type: bank.account_type,
      bank_name: bank.bank_name,
      fingerprint: bank.fingerprint,
      last4: bank.last4,
      mandate: null,
      payment_reference: null,
      routing_number: bank.routing_number,
    },
  };
}

export interface ChargeInput {
  id: string;
  created: number;
  amount: number;
  currency: string;
  customer: string | null;
  paymentIntent: string;
  paymentMethod: Json;
  description: string | null;
  metadata: Json;
  balanceTransaction: string | null;
  status: "succeeded" | "pending" | "failed";
  failure?: { code: string; declineCode: string; message: string };
}

export function buildCharge(input: ChargeInput): Json {
  const succeeded = input.status === "succeeded";
  const failed = input.status === "failed";
  return {
    ...fixture("charge"),
    id: input.id,
    created: input.created,
    amount: input.amount,
    amount_captured: succeeded ? input.amount : 0,
    amount_refunded: 0,
    balance_transaction: failed ? null : input.balanceTransaction,
    billing_details: input.paymentMethod.billing_details,
    captured: succeeded,
    currency: input.currency,
    customer: input.customer,
    description: input.description,
    failure_code: failed ? input.failure!.code : null,
    failure_message: failed ? input.failure!.message : null,
    metadata: input.metadata,
    outcome: failed
      ? {
          advice_code: null,
          network_advice_code: null,
          network_decline_code: null,
          network_status: "declined_by_network",
          reason: input.failure!.declineCode,
          risk_level: "normal",
          seller_message: "The bank did not return any further details with this decline.",
          type: "issuer_declined",
        }
      : {
          advice_code: null,
          network_advice_code: null,
          network_decline_code: null,
          network_status: "approved_by_network",
          reason: null,
          risk_level: "normal",
          seller_message: "Payment complete.",
          type: "authorized",
        },
    paid: succeeded,
    payment_intent: input.paymentIntent,
    payment_method: input.paymentMethod.id,
    payment_method_details: paymentMethodDetails(input.paymentMethod, input.amount),
    receipt_url: null,
    refunded: false,
    refunds: { object: "list", data: [], has_more: false, total_count: 0, url: `/v1/charges/${input.id}/refunds` },
    shipping: null,
    source: null,
    status: input.status,
    transfer_data: null,
  };
}

export function buildPaymentIntent(id: string, created: number, clientSecret: string, params: Json): Json {
  return {
    ...fixture("payment_intent"),
    id,
    created,
    amount: params.amount,
    amount_received: 0,
    amount_details: { tip: {} },
    automatic_payment_methods: params.automatic_payment_methods ?? null,
    canceled_at: null,
    cancellation_reason: null,
    client_secret: clientSecret,
    confirmation_method: "automatic",
    currency: params.currency,
    customer: params.customer ?? null,
    description: params.description ?? null,
    last_payment_error: null,
    latest_charge: null,
    metadata: params.metadata ?? {},
    next_action: null,
    payment_method: params.payment_method ?? null,
    payment_method_configuration_details: null,
    payment_method_types: params.payment_method_types,
    allowed_payment_method_types: params.allowed_payment_method_types,
    processing: null,
    receipt_email: params.receipt_email ?? null,
    setup_future_usage: params.setup_future_usage ?? null,
    shipping: null,
    statement_descriptor: params.statement_descriptor ?? null,
    status: params.payment_method ? "requires_confirmation" : "requires_payment_method",
    transfer_data: null,
    managed_payments: null,
  };
}

export function buildRefund(id: string, created: number, charge: Json, amount: number, reason: string | null, metadata: Json, balanceTransaction: string): Json {
  return {
    ...fixture("refund"),
    id,
    created,
    amount,
    balance_transaction: balanceTransaction,
    charge: charge.id,
    currency: charge.currency,
    destination_details:
      charge.payment_method_details?.type === "card"
        ? { card: { reference: null, reference_status: "pending", reference_type: "acquirer_reference_number", type: "refund" }, type: "card" }
        : { type: "us_bank_account", us_bank_account: { reference: null, reference_status: "pending" } },
    metadata,
    payment_intent: charge.payment_intent,
    reason,
    status: "succeeded",
    customer: charge.customer,
    payment_method: charge.payment_method,
  };
}

export function buildSetupIntent(id: string, created: number, clientSecret: string, params: Json): Json {
  return {
    ...fixture("setup_intent"),
    id,
    created,
    automatic_payment_methods: params.automatic_payment_methods ?? null,
    client_secret: clientSecret,
    customer: params.customer ?? null,
    description: params.description ?? null,
    last_setup_error: null,
    metadata: params.metadata ?? {},
    next_action: null,
    payment_method: params.payment_method ?? null,
    payment_method_configuration_details: null,
    payment_method_types: params.payment_method_types,
    allowed_payment_method_types: params.allowed_payment_method_types,
    status: params.payment_method ? "requires_confirmation" : "requires_payment_method",
    usage: params.usage ?? "off_session",
  };
}

export function buildEvent(id: string, created: number, type: string, object: Json, request: { id: string | null; idempotency_key: string | null }, previous?: Json): Json {
  return {
    ...fixture("event"),
    id,
    api_version: API_VERSION,
    created,
    data: previous ? { object: structuredClone(object), previous_attributes: previous } : { object: structuredClone(object) },
    livemode: false,
    pending_webhooks: 0,
    request,
    type,
  };
}

/** The fixture's own key sets, for the shape tests. */
export function fixtureKeys(name: keyof typeof fixtures): string[] {
  return Object.keys(fixtures[name]).sort();
}
