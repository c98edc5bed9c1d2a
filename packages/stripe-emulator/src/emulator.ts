import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import type { Clock, Logger } from "@paycron/core";
import { invalidParam, missingParam, notFound, StripeApiError } from "./errors.ts";
import { canonicalParams, FormError, type FormObject, parseForm } from "./form.ts";
import {
  buildCharge,
  buildCustomer,
  buildEvent,
  buildPaymentIntent,
  buildPaymentMethod,
  buildRefund,
  buildSetupIntent,
  API_VERSION,
  fingerprint,
  type Json,
} from "./objects.ts";
import { Params } from "./params.ts";
import { type TestMethod, testMethod } from "./test-methods.ts";
import { type WebhookDelivery, WebhookDispatcher, type WebhookEndpointOptions } from "./webhooks.ts";

export interface StripeEmulatorOptions {
  /** All object `created` times, event times, signatures and bank settlement read this clock. */
  clock: Clock;
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Where events are POSTed, signed with `secret`. Without it events are only recorded. */
  webhook?: WebhookEndpointOptions;
  logger?: Logger;
  /** Ids are `<prefix>_<idSeed><counter>`: the same requests in the same order give the same ids. Default "emu". */
  idSeed?: string;
  /** How long an ACH debit stays `processing` (clock time). Default 4 days. */
  bankSettlementMs?: number;
}

export interface RequestRecord {
  method: string;
  path: string;
  status: number;
  idempotencyKey: string | null;
  replayed: boolean;
  /** The fault applied to it, if any. */
  fault?: "latency" | "error" | "drop";
}

export interface StripeEmulatorFaults {
  /** Every request waits `ms` (real time) before it is handled; 0 turns it off. */
  latency(ms: number): void;
  /** The next `count` requests answer `status` (5xx, Stripe's `api_error`) without being executed. */
  failNext(count: number, status?: number): void;
  /**
   * The next `count` requests that create a charge are executed and recorded (the charge is
   * made, the idempotent result stored), then their connection is destroyed before the response.
   */
  dropAfterCharge(count?: number): void;
  /** The next `count` requests of any kind are executed and recorded, then their connection is destroyed before the response. */
  dropAfterExecution(count?: number): void;
  clear(): void;
}

export interface StripeEmulator {
  /** `http://host:port`, for `createLocalStripeClient(url)`. */
  readonly url: string;
  readonly faults: StripeEmulatorFaults;
  /** Settles the bank debits whose settlement time the clock has passed; returns how many. (Every request also does this first.) */
  settle(): number;
  /**
   * The customer's 3-D Secure challenge for a PaymentIntent in `requires_action`: "succeed"
   * charges it (succeeded), "fail" returns it to `requires_payment_method` with
   * `payment_intent_authentication_failure`, as Stripe does. Returns the PaymentIntent.
   */
  completeAuthentication(paymentIntentId: string, result: "succeed" | "fail"): Json;
  /** Delivers a recorded event again (same id and body, a fresh signature), as `stripe events resend` does. */
  resendEvent(eventId: string): void;
  chargesSucceeded(): number;
  charges(): Json[];
  customers(): Json[];
  paymentIntents(): Json[];
  refunds(): Json[];
  setupIntents(): Json[];
  events(): Json[];
  requests(): RequestRecord[];
  webhookDeliveries(): WebhookDelivery[];
  /** Resolves once every webhook queued so far is delivered or given up on. */
  webhooksIdle(): Promise<void>;
  stop(): Promise<void>;
}

interface Ctx {
  params: Params;
  /** What events caused by this call carry as `request` (null ids for automatic changes). */
  request: { id: string | null; idempotency_key: string | null };
  now: number;
}

interface Result {
  status: number;
  body: Json;
}

interface StoredResult extends Result {
  endpoint: string;
  params: string;
  storedAtMs: number;
  requestId: string;
}

interface PaymentMethodRecord {
  object: Json;
  method: TestMethod;
}

const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
const MAX_BODY_BYTES = 1 << 20;
const MIN_AMOUNT = 50;
const CANCELABLE = ["requires_payment_method", "requires_capture", "requires_confirmation", "requires_action"];
const CONFIRMABLE = ["requires_payment_method", "requires_confirmation"];

const clone = <T>(value: T): T => structuredClone(value);

/** `allowed_payment_method_types` (the pinned API version's name) or the older `payment_method_types`. */
function paymentMethodTypes(p: Params): string[] | undefined {
  const types = p.strings("allowed_payment_method_types") ?? p.strings("payment_method_types");
  if (types && types.length === 0) throw invalidParam("allowed_payment_method_types", "allowed_payment_method_types cannot be empty.");
  return types;
}

/** `off_session`: a boolean, or `one_off` / `recurring` (both off session). */
function offSessionOf(p: Params): boolean {
  const value = p.string("off_session");
  if (value === undefined || value === "false") return false;
  if (value === "true" || value === "one_off" || value === "recurring") return true;
  throw invalidParam("off_session", `Invalid off_session: ${value}`, "parameter_invalid_string");
}

export async function startStripeEmulator(options: StripeEmulatorOptions): Promise<StripeEmulator> {
  const { clock, logger } = options;
  const seed = options.idSeed ?? "emu";
  const settlementMs = options.bankSettlementMs ?? 4 * 24 * 60 * 60 * 1000;
  const counters = new Map<string, number>();
  const newId = (prefix: string) => {
    const n = (counters.get(prefix) ?? 0) + 1;
    counters.set(prefix, n);
    return `${prefix}_${seed}${n.toString(36).padStart(12, "0")}`;
  };
  const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);

  const customers = new Map<string, Json>();
  const paymentMethods = new Map<string, PaymentMethodRecord>();
  const paymentIntents = new Map<string, Json>();
  const charges = new Map<string, Json>();
  const refunds = new Map<string, Json>();
  const setupIntents = new Map<string, Json>();
  const events: Json[] = [];
  const requestLog: RequestRecord[] = [];
  const idempotent = new Map<string, StoredResult>();
  const settlements: Array<{ paymentIntent: string; charge: string; atMs: number; failure?: { code: string; message: string } }> = [];

  const fault = { latencyMs: 0, failCount: 0, failStatus: 500, dropAfterCharge: 0, dropAfterExecution: 0 };

  const dispatcher = options.webhook
    ? new WebhookDispatcher(options.webhook, clock, logger, (eventId, delivered) => {
        // Stripe counts the endpoints that have not yet received the event successfully.
        const event = delivered ? events.find((e) => e.id === eventId) : undefined;
        if (event) event.pending_webhooks = Math.max(0, (event.pending_webhooks as number) - 1);
      })
    : undefined;

  function emit(type: string, object: Json, request: { id: string | null; idempotency_key: string | null }, previous?: Json): void {
    const event = buildEvent(newId("evt"), nowSeconds(), type, object, request, previous);
    const deliver = dispatcher?.wants(type) ?? false;
    event.pending_webhooks = deliver ? 1 : 0;
    events.push(event);
    if (deliver) dispatcher!.enqueue(clone(event));
  }
  const requestOf = (ctx: Ctx) => ctx.request;
  const automatic = { id: null, idempotency_key: null };

  // --- lookups -----------------------------------------------------------------------------

  function customerOf(id: string, param = "id"): Json {
    const customer = customers.get(id);
    if (!customer) throw notFound("customer", id, param);
    return customer;
  }

  /** A stored PaymentMethod, or a fresh one made from a documented test id (as Stripe does). */
  function resolvePaymentMethod(id: string, param: string, ctx: Ctx): PaymentMethodRecord {
    const stored = paymentMethods.get(id);
    if (stored) return stored;
    const test = testMethod(id);
    if (!test) throw notFound("PaymentMethod", id, param);
    const record = { object: buildPaymentMethod(newId("pm"), ctx.now, test.token, test.method), method: test.method };
    paymentMethods.set(record.object.id, record);
    return record;
  }

  function paymentIntentOf(id: string): Json {
    const pi = paymentIntents.get(id);
    if (!pi) throw notFound("payment_intent", id, "intent");
    return pi;
  }

  // --- customers ---------------------------------------------------------------------------

  function createCustomer(ctx: Ctx): Result {
    const p = ctx.params.only(["email", "name", "phone", "description", "metadata", "preferred_locales", "payment_method", "invoice_settings"]);
    const customer = buildCustomer(newId("cus"), ctx.now, {
      email: p.nullableString("email"),
      name: p.nullableString("name"),
      phone: p.nullableString("phone"),
      description: p.nullableString("description"),
      metadata: p.metadata(),
      preferred_locales: p.strings("preferred_locales"),
    });
    customers.set(customer.id, customer);
    emit("customer.created", customer, requestOf(ctx));
    const pmId = p.string("payment_method");
    if (pmId) attach(resolvePaymentMethod(pmId, "payment_method", ctx), customer, ctx);
    const defaultPm = p.object("invoice_settings")?.default_payment_method;
    if (typeof defaultPm === "string") setDefaultPaymentMethod(customer, defaultPm);
    return { status: 200, body: customer };
  }

  function setDefaultPaymentMethod(customer: Json, pmId: string | null): void {
    if (pmId && paymentMethods.get(pmId)?.object.customer !== customer.id) {
      throw invalidParam(
        "invoice_settings[default_payment_method]",
        `The customer does not have a payment method with the ID ${pmId}. The payment method must be attached to the customer.`,
        "resource_missing",
      );
    }
    customer.invoice_settings.default_payment_method = pmId;
  }

  function updateCustomer(ctx: Ctx, id: string): Result {
    const p = ctx.params.only(["email", "name", "phone", "description", "metadata", "preferred_locales", "invoice_settings"]);
    const customer = customerOf(id);
    const before = clone(customer);
    for (const field of ["email", "name", "phone", "description"]) {
      const value = p.nullableString(field);
      if (value !== undefined) customer[field] = value;
    }
    const metadata = p.metadata(customer.metadata);
    if (metadata) customer.metadata = metadata;
    const locales = p.strings("preferred_locales");
    if (locales) customer.preferred_locales = locales;
    const settings = p.object("invoice_settings");
    if (settings && Object.hasOwn(settings, "default_payment_method")) {
      const value = settings.default_payment_method;
      if (typeof value !== "string") throw invalidParam("invoice_settings[default_payment_method]", "Invalid string");
      setDefaultPaymentMethod(customer, value === "" ? null : value);
    }
    emitUpdated("customer.updated", before, customer, ctx);
    return { status: 200, body: customer };
  }

  /** `*.updated` with the previous values of the top-level fields that changed; nothing when nothing did. */
  function emitUpdated(type: string, before: Json, after: Json, ctx: Ctx | null): void {
    const previous: Json = {};
    for (const key of Object.keys(after)) {
      if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) previous[key] = before[key];
    }
    if (Object.keys(previous).length > 0) emit(type, after, ctx ? requestOf(ctx) : automatic, previous);
  }

  // --- payment methods ---------------------------------------------------------------------

  function declineError(record: PaymentMethodRecord, outcome: { declineCode: string; message: string }, extra: Json = {}): StripeApiError {
    return new StripeApiError(402, {
      type: "card_error",
      code: "card_declined",
      decline_code: outcome.declineCode,
      message: outcome.message,
      payment_method: clone(record.object),
      ...extra,
    });
  }

  function attach(record: PaymentMethodRecord, customer: Json, ctx: Ctx): void {
    const pm = record.object;
    if (pm.customer === customer.id) return;
    if (pm.customer) {
      throw invalidParam("payment_method", "The payment method you provided has already been attached to a customer.", "payment_method_unexpected_state");
    }
    const outcome = record.method.outcome;
    if (outcome.kind === "decline" && outcome.declineOnAttach) throw declineError(record, outcome);
    pm.customer = customer.id;
    emit("payment_method.attached", pm, requestOf(ctx));
  }

  function attachPaymentMethod(ctx: Ctx, id: string): Result {
    const p = ctx.params.only(["customer"]);
    const customerId = p.string("customer");
    if (!customerId) throw missingParam("customer");
    const customer = customerOf(customerId, "customer");
    const record = resolvePaymentMethod(id, "payment_method", ctx);
    attach(record, customer, ctx);
    return { status: 200, body: record.object };
  }

  function detachPaymentMethod(ctx: Ctx, id: string): Result {
    ctx.params.only([]);
    const record = resolvePaymentMethod(id, "payment_method", ctx);
    const pm = record.object;
    if (!pm.customer) {
      throw invalidParam("payment_method", "The payment method you provided is not attached to a customer so detachment is impossible.", "payment_method_unexpected_state");
    }
    const customer = customers.get(pm.customer);
    pm.customer = null;
    emit("payment_method.detached", pm, requestOf(ctx), { customer: customer?.id ?? null });
    if (customer && customer.invoice_settings.default_payment_method === pm.id) {
      const before = clone(customer);
      customer.invoice_settings.default_payment_method = null;
      emitUpdated("customer.updated", before, customer, ctx);
    }
    return { status: 200, body: pm };
  }

  function retrievePaymentMethod(ctx: Ctx, id: string): Result {
    return { status: 200, body: resolvePaymentMethod(id, "payment_method", ctx).object };
  }

  function listPaymentMethods(ctx: Ctx, customerFromPath?: string): Result {
    const p = ctx.params.only(["customer", "type", "limit", "starting_after", "ending_before"]);
    const customerId = customerFromPath ?? p.string("customer");
    if (customerId) customerOf(customerId, customerFromPath ? "customer" : "customer");
    const type = p.string("type");
    const data = [...paymentMethods.values()]
      .map((r) => r.object)
      .filter((pm) => (customerId ? pm.customer === customerId : true) && (type ? pm.type === type : true));
    return { status: 200, body: list(data.reverse(), p, customerFromPath ? `/v1/customers/${customerFromPath}/payment_methods` : "/v1/payment_methods") };
  }

  function list(all: Json[], p: Params, url: string): Json {
    for (const unsupported of ["ending_before", "created"]) {
      if (p.has(unsupported)) throw invalidParam(unsupported, `The Stripe emulator does not support ${unsupported} on lists.`, "parameter_unknown");
    }
    const limit = p.integer("limit") ?? 10;
    if (limit < 1 || limit > 100) throw invalidParam("limit", "This value must be between 1 and 100.", "parameter_invalid_integer");
    let start = 0;
    const after = p.string("starting_after");
    if (after) start = all.findIndex((o) => o.id === after) + 1;
    const data = all.slice(start, start + limit);
    return { object: "list", data, has_more: start + limit < all.length, url };
  }

  // --- payment intents ---------------------------------------------------------------------

  function checkMethodFits(pi: Json, record: PaymentMethodRecord, customer: string | null): void {
    const pm = record.object;
    if (!pi.payment_method_types.includes(pm.type)) {
      throw invalidParam(
        "payment_method",
        `The PaymentMethod provided (${pm.type}) is not allowed for this PaymentIntent. Please attach a PaymentMethod of one of the following types: ${pi.payment_method_types.join(", ")}.`,
        "payment_intent_incompatible_payment_method",
      );
    }
    if (pm.customer && pm.customer !== customer) {
      throw invalidParam(
        "payment_method",
        customer
          ? `The provided PaymentMethod belongs to a different Customer (${pm.customer}) than the one on this PaymentIntent (${customer}).`
          : "The provided PaymentMethod belongs to a Customer, but you did not provide a Customer. Please provide the Customer that owns the PaymentMethod.",
        "payment_intent_invalid_parameter",
      );
    }
  }

  function createPaymentIntent(ctx: Ctx): Result {
    const p = ctx.params.only([
      "amount",
      "currency",
      "customer",
      "payment_method",
      "payment_method_types",
      "allowed_payment_method_types",
      "automatic_payment_methods",
      "confirm",
      "off_session",
      "metadata",
      "description",
      "receipt_email",
      "setup_future_usage",
      "statement_descriptor",
      "capture_method",
      "return_url",
      "mandate_data",
      "error_on_requires_action",
    ]);
    const amount = p.integer("amount");
    if (amount === undefined) throw missingParam("amount");
    const currency = p.string("currency")?.toLowerCase();
    if (!currency) throw missingParam("currency");
    if (!/^[a-z]{3}$/.test(currency)) throw invalidParam("currency", `Invalid currency: ${currency}.`, "parameter_invalid_string");
    if (amount < MIN_AMOUNT) {
      throw new StripeApiError(400, { type: "invalid_request_error", code: "amount_too_small", message: `Amount must be at least ${MIN_AMOUNT} minor units (${currency}).`, param: "amount" });
    }
    if (amount > 99_999_999) {
      throw new StripeApiError(400, { type: "invalid_request_error", code: "amount_too_large", message: "Amount must be no more than 99999999 minor units.", param: "amount" });
    }
    const capture = p.oneOf("capture_method", ["automatic", "automatic_async", "manual"]);
    if (capture === "manual") throw invalidParam("capture_method", "The Stripe emulator does not support capture_method=manual.", "parameter_invalid_string");
    const customerId = p.string("customer") || null;
    if (customerId) customerOf(customerId, "customer");
    const types = paymentMethodTypes(p);
    const confirm = p.boolean("confirm") ?? false;
    const offSession = offSessionOf(p);
    if (p.has("off_session") && !confirm) {
      throw invalidParam("off_session", "You may only specify `off_session` when `confirm=true`.", "parameter_invalid_empty");
    }
    const setupFutureUsage = p.oneOf("setup_future_usage", ["on_session", "off_session"]);
    const pmId = p.string("payment_method");
    const record = pmId ? resolvePaymentMethod(pmId, "payment_method", ctx) : undefined;
    const id = newId("pi");
    const pi = buildPaymentIntent(id, ctx.now, `${id}_secret_${fingerprint(id)}`, {
      amount,
      currency,
      customer: customerId,
      description: p.nullableString("description"),
      metadata: p.metadata(),
      payment_method: record?.object.id ?? null,
      payment_method_types: types ?? ["card", "us_bank_account"],
      allowed_payment_method_types: types ?? null,
      automatic_payment_methods: types ? null : { allow_redirects: "always", enabled: true },
      receipt_email: p.nullableString("receipt_email"),
      setup_future_usage: setupFutureUsage ?? null,
      statement_descriptor: p.nullableString("statement_descriptor"),
    });
    if (record) checkMethodFits(pi, record, customerId);
    paymentIntents.set(id, pi);
    emit("payment_intent.created", pi, requestOf(ctx));
    if (confirm) return confirmIntent(pi, ctx, offSession, p.boolean("error_on_requires_action") ?? false);
    return { status: 200, body: pi };
  }

  function updatePaymentIntent(ctx: Ctx, id: string): Result {
    const p = ctx.params.only(["amount", "currency", "customer", "payment_method", "metadata", "description", "receipt_email", "setup_future_usage"]);
    const pi = paymentIntentOf(id);
    if (!["requires_payment_method", "requires_confirmation", "requires_action"].includes(pi.status)) {
      throw unexpectedState(pi, `You cannot update this PaymentIntent because it has a status of ${pi.status}.`);
    }
    const amount = p.integer("amount");
    if (amount !== undefined) {
      if (amount < MIN_AMOUNT) throw new StripeApiError(400, { type: "invalid_request_error", code: "amount_too_small", message: `Amount must be at least ${MIN_AMOUNT} minor units.`, param: "amount" });
      pi.amount = amount;
    }
    const currency = p.string("currency");
    if (currency) pi.currency = currency.toLowerCase();
    const customerId = p.string("customer");
    if (customerId) pi.customer = customerOf(customerId, "customer").id;
    const metadata = p.metadata(pi.metadata);
    if (metadata) pi.metadata = metadata;
    for (const field of ["description", "receipt_email"]) {
      const value = p.nullableString(field);
      if (value !== undefined) pi[field] = value;
    }
    const pmId = p.string("payment_method");
    if (pmId) {
      const record = resolvePaymentMethod(pmId, "payment_method", ctx);
      checkMethodFits(pi, record, pi.customer);
      pi.payment_method = record.object.id;
      if (pi.status === "requires_payment_method") pi.status = "requires_confirmation";
    }
    return { status: 200, body: pi };
  }

  function unexpectedState(pi: Json, message: string, key = "payment_intent"): StripeApiError {
    return new StripeApiError(400, { type: "invalid_request_error", code: `${key}_unexpected_state`, message, [key]: clone(pi) });
  }

  function confirmPaymentIntent(ctx: Ctx, id: string): Result {
    const p = ctx.params.only(["payment_method", "off_session", "return_url", "mandate_data", "setup_future_usage", "receipt_email", "error_on_requires_action"]);
    const pi = paymentIntentOf(id);
    if (!CONFIRMABLE.includes(pi.status)) {
      const verb = pi.status === "succeeded" ? "it has already succeeded after being previously confirmed" : `it has a status of ${pi.status}`;
      throw unexpectedState(pi, `You cannot confirm this PaymentIntent because ${verb}.`);
    }
    const pmId = p.string("payment_method");
    if (pmId) {
      const record = resolvePaymentMethod(pmId, "payment_method", ctx);
      checkMethodFits(pi, record, pi.customer);
      pi.payment_method = record.object.id;
    }
    const sfu = p.oneOf("setup_future_usage", ["on_session", "off_session"]);
    if (sfu) pi.setup_future_usage = sfu;
    return confirmIntent(pi, ctx, offSessionOf(p), p.boolean("error_on_requires_action") ?? false);
  }

  function confirmIntent(pi: Json, ctx: Ctx, offSession: boolean, errorOnRequiresAction: boolean, authenticated = false): Result {
    if (!pi.payment_method) {
      throw unexpectedState(
        pi,
        "You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method.",
      );
    }
    const record = paymentMethods.get(pi.payment_method)!;
    const outcome = record.method.outcome;
    const newCharge = (status: "succeeded" | "pending" | "failed", failure?: { code: string; declineCode: string; message: string }) => {
      const charge = buildCharge({
        id: newId("ch"),
        created: ctx.now,
        amount: pi.amount,
        currency: pi.currency,
        customer: pi.customer,
        paymentIntent: pi.id,
        paymentMethod: record.object,
        description: pi.description,
        metadata: clone(pi.metadata),
        balanceTransaction: status === "failed" ? null : newId("txn"),
        status,
        ...(failure ? { failure } : {}),
      });
      charges.set(charge.id, charge);
      pi.latest_charge = charge.id;
      return charge;
    };
    const fail = (code: string, declineCode: string, message: string): never => {
      const charge = newCharge("failed", { code, declineCode, message });
      const error = { charge: charge.id, code, decline_code: declineCode, message, payment_method: clone(record.object), type: "card_error" };
      pi.status = "requires_payment_method";
      pi.payment_method = null;
      pi.last_payment_error = { ...error, doc_url: `https://stripe.com/docs/error-codes/${code.replace(/_/g, "-")}` };
      pi.next_action = null;
      emit("charge.failed", charge, requestOf(ctx));
      emit("payment_intent.payment_failed", pi, requestOf(ctx));
      throw new StripeApiError(402, { type: "card_error", code, decline_code: declineCode, message, charge: charge.id, payment_method: clone(record.object), payment_intent: clone(pi) });
    };

    const succeed = (): Result => {
      const charge = newCharge("succeeded");
      pi.status = "succeeded";
      pi.amount_received = pi.amount;
      pi.next_action = null;
      saveForFutureUse(pi, record, ctx);
      emit("charge.succeeded", charge, requestOf(ctx));
      emit("payment_intent.succeeded", pi, requestOf(ctx));
      return { status: 200, body: pi };
    };

    pi.last_payment_error = null;
    if (authenticated) return succeed();
    switch (outcome.kind) {
      case "succeed":
        return succeed();
      case "decline":
        return fail("card_declined", outcome.declineCode, outcome.message);
      case "authenticate": {
        if (offSession) {
          // Stripe: an off-session payment that needs authentication fails with
          // authentication_required; the customer must come back on session.
          return fail("authentication_required", "authentication_required", "Your card was declined. This transaction requires authentication.");
        }
        if (errorOnRequiresAction) {
          return fail("authentication_required", "authentication_required", "Your card was declined. This transaction requires authentication.");
        }
        pi.status = "requires_action";
        pi.next_action = {
          type: "use_stripe_sdk",
          use_stripe_sdk: { type: "three_d_secure_redirect", source: newId("src"), stripe_js: `https://hooks.stripe.com/redirect/authenticate/${pi.id}` },
        };
        emit("payment_intent.requires_action", pi, requestOf(ctx));
        return { status: 200, body: pi };
      }
      case "bank": {
        const charge = newCharge("pending");
        pi.status = "processing";
        pi.next_action = null;
        saveForFutureUse(pi, record, ctx);
        settlements.push({
          paymentIntent: pi.id,
          charge: charge.id,
          atMs: clock.now().getTime() + settlementMs,
          ...(outcome.failure ? { failure: outcome.failure } : {}),
        });
        emit("charge.pending", charge, requestOf(ctx));
        emit("payment_intent.processing", pi, requestOf(ctx));
        return { status: 200, body: pi };
      }
    }
  }

  function completeAuthentication(id: string, result: "succeed" | "fail"): Json {
    const pi = paymentIntents.get(id);
    if (!pi) throw new Error(`completeAuthentication: no PaymentIntent ${id}`);
    if (pi.status !== "requires_action") throw new Error(`completeAuthentication: ${id} is ${pi.status}, not requires_action`);
    const ctx: Ctx = { params: new Params({}), request: automatic, now: nowSeconds() };
    if (result === "succeed") return clone(confirmIntent(pi, ctx, false, false, true).body);
    const pm = paymentMethods.get(pi.payment_method)?.object;
    pi.status = "requires_payment_method";
    pi.payment_method = null;
    pi.next_action = null;
    pi.last_payment_error = {
      code: "payment_intent_authentication_failure",
      doc_url: "https://stripe.com/docs/error-codes/payment-intent-authentication-failure",
      message:
        "The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.",
      payment_method: pm ? clone(pm) : null,
      type: "invalid_request_error",
    };
    emit("payment_intent.payment_failed", pi, automatic);
    return clone(pi);
  }

  function saveForFutureUse(pi: Json, record: PaymentMethodRecord, ctx: Ctx): void {
    if (pi.setup_future_usage && pi.customer && !record.object.customer) {
      record.object.customer = pi.customer;
      emit("payment_method.attached", record.object, requestOf(ctx));
    }
  }

  function settle(): number {
    const nowMs = clock.now().getTime();
    let settled = 0;
    for (let i = 0; i < settlements.length; ) {
      const due = settlements[i]!;
      if (due.atMs > nowMs) {
        i++;
        continue;
      }
      settlements.splice(i, 1);
      const pi = paymentIntents.get(due.paymentIntent)!;
      const charge = charges.get(due.charge)!;
      settled++;
      if (due.failure) {
        const pm = paymentMethods.get(pi.payment_method)?.object;
        charge.status = "failed";
        charge.paid = false;
        charge.balance_transaction = null;
        charge.failure_code = due.failure.code;
        charge.failure_message = due.failure.message;
        charge.outcome = { ...charge.outcome, network_status: "declined_by_network", reason: due.failure.code, seller_message: due.failure.message, type: "issuer_declined" };
        pi.status = "requires_payment_method";
        pi.payment_method = null;
        pi.last_payment_error = { code: due.failure.code, message: due.failure.message, payment_method: pm ? clone(pm) : null, type: "invalid_request_error" };
        emit("charge.failed", charge, automatic);
        emit("payment_intent.payment_failed", pi, automatic);
        continue;
      }
      charge.status = "succeeded";
      charge.paid = true;
      charge.captured = true;
      charge.amount_captured = charge.amount;
      pi.status = "succeeded";
      pi.amount_received = pi.amount;
      emit("charge.succeeded", charge, automatic);
      emit("payment_intent.succeeded", pi, automatic);
    }
    return settled;
  }

  function cancelPaymentIntent(ctx: Ctx, id: string): Result {
    const p = ctx.params.only(["cancellation_reason"]);
    const reason = p.oneOf("cancellation_reason", ["duplicate", "fraudulent", "requested_by_customer", "abandoned"]);
    const pi = paymentIntentOf(id);
    if (!CANCELABLE.includes(pi.status)) {
      throw unexpectedState(
        pi,
        `You cannot cancel this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELABLE.join(", ")}.`,
      );
    }
    pi.status = "canceled";
    pi.canceled_at = ctx.now;
    pi.cancellation_reason = reason ?? null;
    pi.next_action = null;
    emit("payment_intent.canceled", pi, requestOf(ctx));
    return { status: 200, body: pi };
  }

  // --- refunds -----------------------------------------------------------------------------

  function createRefund(ctx: Ctx): Result {
    const p = ctx.params.only(["charge", "payment_intent", "amount", "reason", "metadata"]);
    const chargeId = p.string("charge");
    const piId = p.string("payment_intent");
    if (!chargeId && !piId) throw missingParam("charge");
    if (chargeId && piId) throw invalidParam("payment_intent", "You cannot specify both charge and payment_intent.", "parameter_invalid_empty");
    let charge: Json | undefined;
    if (chargeId) {
      charge = charges.get(chargeId);
      if (!charge) throw notFound("charge", chargeId, "charge");
    } else {
      const pi = paymentIntents.get(piId!);
      if (!pi) throw notFound("payment_intent", piId!, "payment_intent");
      charge = pi.latest_charge ? charges.get(pi.latest_charge) : undefined;
      if (!charge || charge.status !== "succeeded") {
        throw invalidParam("payment_intent", `This PaymentIntent (${pi.id}) does not have a successful charge to refund.`, "charge_not_refundable");
      }
    }
    if (charge.status !== "succeeded") throw invalidParam("charge", `Charge ${charge.id} has not succeeded, so it cannot be refunded.`, "charge_not_refundable");
    const remaining = charge.amount - charge.amount_refunded;
    if (remaining <= 0) {
      throw new StripeApiError(400, { type: "invalid_request_error", code: "charge_already_refunded", message: `Charge ${charge.id} has already been refunded.`, charge: charge.id });
    }
    const amount = p.integer("amount") ?? remaining;
    if (amount <= 0) throw invalidParam("amount", "Refund amount must be positive.", "parameter_invalid_integer");
    if (amount > remaining) {
      throw new StripeApiError(400, {
        type: "invalid_request_error",
        code: "amount_too_large",
        message: `Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining})`,
        param: "amount",
      });
    }
    const reason = p.oneOf("reason", ["duplicate", "fraudulent", "requested_by_customer"]) ?? null;
    const refund = buildRefund(newId("re"), ctx.now, charge, amount, reason, p.metadata() ?? {}, newId("txn"));
    refunds.set(refund.id, refund);
    const before = clone(charge);
    charge.amount_refunded += amount;
    charge.refunded = charge.amount_refunded === charge.amount;
    charge.refunds.data.unshift(clone(refund));
    charge.refunds.total_count += 1;
    emit("refund.created", refund, requestOf(ctx));
    const previous: Json = { amount_refunded: before.amount_refunded };
    if (before.refunded !== charge.refunded) previous.refunded = before.refunded;
    emit("charge.refunded", charge, requestOf(ctx), previous);
    return { status: 200, body: refund };
  }

  // --- setup intents -----------------------------------------------------------------------

  function setupIntentOf(id: string): Json {
    const si = setupIntents.get(id);
    if (!si) throw notFound("setup_intent", id, "intent");
    return si;
  }

  function createSetupIntent(ctx: Ctx): Result {
    const p = ctx.params.only(["customer", "payment_method", "payment_method_types", "allowed_payment_method_types", "automatic_payment_methods", "confirm", "usage", "metadata", "description", "return_url", "mandate_data"]);
    const customerId = p.string("customer") || null;
    if (customerId) customerOf(customerId, "customer");
    const pmId = p.string("payment_method");
    const record = pmId ? resolvePaymentMethod(pmId, "payment_method", ctx) : undefined;
    if (record?.object.customer && record.object.customer !== customerId) {
      throw invalidParam("payment_method", "The provided PaymentMethod belongs to a different Customer.", "setup_intent_invalid_parameter");
    }
    const types = paymentMethodTypes(p);
    const id = newId("seti");
    const si = buildSetupIntent(id, ctx.now, `${id}_secret_${fingerprint(id)}`, {
      customer: customerId,
      payment_method: record?.object.id ?? null,
      payment_method_types: types ?? ["card", "us_bank_account"],
      allowed_payment_method_types: types ?? null,
      automatic_payment_methods: types ? null : { allow_redirects: "always", enabled: true },
      usage: p.oneOf("usage", ["on_session", "off_session"]),
      metadata: p.metadata(),
      description: p.nullableString("description"),
    });
    setupIntents.set(id, si);
    emit("setup_intent.created", si, requestOf(ctx));
    if (p.boolean("confirm")) return confirmSetup(si, ctx);
    return { status: 200, body: si };
  }

  function confirmSetupIntent(ctx: Ctx, id: string): Result {
    const p = ctx.params.only(["payment_method", "return_url", "mandate_data"]);
    const si = setupIntentOf(id);
    if (!CONFIRMABLE.includes(si.status)) {
      throw unexpectedState(si, `You cannot confirm this SetupIntent because it has a status of ${si.status}.`, "setup_intent");
    }
    const pmId = p.string("payment_method");
    if (pmId) si.payment_method = resolvePaymentMethod(pmId, "payment_method", ctx).object.id;
    return confirmSetup(si, ctx);
  }

  function confirmSetup(si: Json, ctx: Ctx): Result {
    if (!si.payment_method) {
      throw unexpectedState(si, "You cannot confirm this SetupIntent because it's missing a payment method.", "setup_intent");
    }
    const record = paymentMethods.get(si.payment_method)!;
    const outcome = record.method.outcome;
    si.last_setup_error = null;
    if (outcome.kind === "decline" && outcome.declineOnAttach) {
      const error = { code: "card_declined", decline_code: outcome.declineCode, message: outcome.message, payment_method: clone(record.object), type: "card_error" };
      si.status = "requires_payment_method";
      si.payment_method = null;
      si.last_setup_error = { ...error, doc_url: "https://stripe.com/docs/error-codes/card-declined" };
      emit("setup_intent.setup_failed", si, requestOf(ctx));
      throw declineError(record, outcome, { setup_intent: clone(si) });
    }
    if (outcome.kind === "authenticate") {
      si.status = "requires_action";
      si.next_action = {
        type: "use_stripe_sdk",
        use_stripe_sdk: { type: "three_d_secure_redirect", source: newId("src"), stripe_js: `https://hooks.stripe.com/redirect/authenticate/${si.id}` },
      };
      emit("setup_intent.requires_action", si, requestOf(ctx));
      return { status: 200, body: si };
    }
    if (si.customer && !record.object.customer) {
      record.object.customer = si.customer;
      emit("payment_method.attached", record.object, requestOf(ctx));
    }
    si.status = "succeeded";
    si.next_action = null;
    emit("setup_intent.succeeded", si, requestOf(ctx));
    return { status: 200, body: si };
  }

  // --- routing -----------------------------------------------------------------------------

  type Handler = (ctx: Ctx, ...ids: string[]) => Result;
  const get = (map: Map<string, Json>, kind: string) => (_ctx: Ctx, id: string) => {
    const object = map.get(id);
    if (!object) throw notFound(kind, id);
    return { status: 200, body: object };
  };
  const routes: Array<[string, RegExp, Handler]> = [
    ["POST", /^\/v1\/customers$/, createCustomer],
    ["GET", /^\/v1\/customers\/([^/]+)$/, get(customers, "customer")],
    ["POST", /^\/v1\/customers\/([^/]+)$/, updateCustomer],
    ["GET", /^\/v1\/customers\/([^/]+)\/payment_methods$/, (ctx, id) => listPaymentMethods(ctx, id)],
    ["GET", /^\/v1\/payment_methods$/, (ctx) => listPaymentMethods(ctx)],
    ["GET", /^\/v1\/payment_methods\/([^/]+)$/, retrievePaymentMethod],
    ["POST", /^\/v1\/payment_methods\/([^/]+)\/attach$/, attachPaymentMethod],
    ["POST", /^\/v1\/payment_methods\/([^/]+)\/detach$/, detachPaymentMethod],
    ["POST", /^\/v1\/payment_intents$/, createPaymentIntent],
    ["GET", /^\/v1\/payment_intents\/([^/]+)$/, (_ctx, id) => ({ status: 200, body: paymentIntentOf(id) })],
    ["POST", /^\/v1\/payment_intents\/([^/]+)$/, updatePaymentIntent],
    ["POST", /^\/v1\/payment_intents\/([^/]+)\/confirm$/, confirmPaymentIntent],
    ["POST", /^\/v1\/payment_intents\/([^/]+)\/cancel$/, cancelPaymentIntent],
    ["GET", /^\/v1\/charges\/([^/]+)$/, get(charges, "charge")],
    ["GET", /^\/v1\/charges$/, (ctx) => {
      const p = ctx.params.only(["customer", "payment_intent", "limit", "starting_after", "ending_before", "created"]);
      const customer = p.string("customer");
      const pi = p.string("payment_intent");
      const all = [...charges.values()].filter((c) => (!customer || c.customer === customer) && (!pi || c.payment_intent === pi));
      return { status: 200, body: list(all.reverse(), p, "/v1/charges") };
    }],
    ["GET", /^\/v1\/payment_intents$/, (ctx) => {
      const p = ctx.params.only(["customer", "limit", "starting_after", "ending_before", "created"]);
      const customer = p.string("customer");
      const all = [...paymentIntents.values()].filter((pi) => !customer || pi.customer === customer);
      return { status: 200, body: list(all.reverse(), p, "/v1/payment_intents") };
    }],
    ["POST", /^\/v1\/refunds$/, createRefund],
    ["GET", /^\/v1\/refunds\/([^/]+)$/, get(refunds, "refund")],
    ["POST", /^\/v1\/setup_intents$/, createSetupIntent],
    ["GET", /^\/v1\/setup_intents\/([^/]+)$/, (_ctx, id) => ({ status: 200, body: setupIntentOf(id) })],
    ["POST", /^\/v1\/setup_intents\/([^/]+)\/confirm$/, confirmSetupIntent],
    ["GET", /^\/v1\/events\/([^/]+)$/, (_ctx, id) => {
      const event = events.find((e) => e.id === id);
      if (!event) throw notFound("event", id);
      return { status: 200, body: event };
    }],
    ["GET", /^\/v1\/events$/, (ctx) => {
      const p = ctx.params.only(["type", "limit", "starting_after", "ending_before", "created", "types"]);
      const type = p.string("type");
      return { status: 200, body: list(events.filter((e) => !type || e.type === type).reverse(), p, "/v1/events") };
    }],
  ];

  // --- expand ----------------------------------------------------------------------------------

  function objectById(id: string): Json | undefined {
    const prefix = id.slice(0, id.indexOf("_"));
    const maps: Record<string, Map<string, Json> | undefined> = { cus: customers, pi: paymentIntents, ch: charges, re: refunds, seti: setupIntents };
    if (prefix === "pm") return paymentMethods.get(id)?.object;
    return maps[prefix]?.get(id);
  }

  /** Stripe's `expand[]`: each dotted path whose value is an id becomes the object; `data.x` reaches into lists. */
  function expand(body: Json, paths: readonly string[]): Json {
    for (const path of paths) {
      const walk = (node: Json | undefined, parts: string[], at: string): void => {
        if (!node || typeof node !== "object") return;
        const [head, ...rest] = parts;
        if (head === undefined) return;
        if (head === "data" && Array.isArray(node.data) && rest.length > 0) {
          for (const item of node.data as Json[]) walk(item, rest, at);
          return;
        }
        if (!Object.hasOwn(node, head)) {
          throw invalidParam("expand", `This property cannot be expanded (${at}${head}).`, "parameter_invalid_string");
        }
        // A nested path expands the ids on its way, as Stripe does (`latest_charge.payment_intent`).
        const value = node[head];
        if (typeof value === "string") {
          const object = objectById(value);
          if (!object) throw invalidParam("expand", `This property cannot be expanded (${at}${head}).`, "parameter_invalid_string");
          node[head] = clone(object);
        }
        if (rest.length > 0) walk(node[head] as Json, rest, `${at}${head}.`);
      };
      walk(body, path.split("."), "");
    }
    return body;
  }

  // --- HTTP ----------------------------------------------------------------------------------

  function apiKeyOf(req: IncomingMessage): string | null {
    const header = req.headers.authorization ?? "";
    const bearer = /^Bearer (\S+)$/i.exec(header);
    if (bearer) return bearer[1]!;
    const basic = /^Basic (\S+)$/i.exec(header);
    if (basic) return Buffer.from(basic[1]!, "base64").toString("utf8").split(":")[0] ?? null;
    return null;
  }

  async function readBody(req: IncomingMessage): Promise<string | null> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) return null;
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString("utf8");
  }

  function send(res: ServerResponse, requestId: string, result: Result, headers: Record<string, string> = {}): void {
    const body = JSON.stringify(result.body, null, 2);
    res.writeHead(result.status, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
      "request-id": requestId,
      "stripe-version": API_VERSION,
      ...headers,
    });
    res.end(body);
  }

  function errorResult(error: StripeApiError, requestId: string): Result {
    return { status: error.status, body: error.body(requestId) };
  }

  function pruneIdempotency(nowMs: number): void {
    for (const [key, stored] of idempotent) {
      if (nowMs - stored.storedAtMs > IDEMPOTENCY_TTL_MS) idempotent.delete(key);
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = newId("req");
    const method = req.method ?? "GET";
    const url = new URL(req.url ?? "/", "http://emulator");
    const path = url.pathname;
    const idempotencyKey = method === "POST" ? ((req.headers["idempotency-key"] as string | undefined) ?? null) : null;
    const record: RequestRecord = { method, path, status: 0, idempotencyKey, replayed: false };
    requestLog.push(record);
    const reply = (result: Result, headers: Record<string, string> = {}) => {
      record.status = result.status;
      send(res, requestId, result, headers);
      logger?.debug({ method, path, status: result.status, requestId, replayed: record.replayed }, "stripe emulator: request");
    };

    const body = await readBody(req);
    if (fault.latencyMs > 0) {
      record.fault = "latency";
      await sleep(fault.latencyMs);
    }
    if (fault.failCount > 0) {
      fault.failCount--;
      record.fault = "error";
      return reply({ status: fault.failStatus, body: { error: { message: "An unknown error occurred", type: "api_error" } } });
    }
    const apiKey = apiKeyOf(req);
    if (!apiKey) {
      return reply({
        status: 401,
        body: {
          error: {
            message:
              "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
            type: "invalid_request_error",
          },
        },
      });
    }
    if (!/^(sk|rk)_test_\w+$/.test(apiKey)) {
      const prefix = /^[a-z]{2,4}_(test|live)_/.exec(apiKey)?.[0] ?? "";
      const masked = apiKey.length - prefix.length > 4 ? `${prefix}${"*".repeat(apiKey.length - prefix.length - 4)}${apiKey.slice(-4)}` : "****";
      return reply({ status: 401, body: { error: { code: "api_key_invalid", message: `Invalid API Key provided: ${masked}`, type: "invalid_request_error" } } });
    }
    if (body === null) {
      return reply(errorResult(invalidParam("body", "Request body too large.", "parameter_invalid_string"), requestId));
    }

    settle();

    let form: FormObject;
    try {
      form = parseForm(method === "POST" ? body : url.search.slice(1));
    } catch (error) {
      if (!(error instanceof FormError)) throw error;
      return reply(errorResult(invalidParam("body", `Invalid request: ${error.message}`, "parameter_invalid_string"), requestId));
    }

    let match: { handler: Handler; ids: string[] } | undefined;
    for (const [routeMethod, pattern, handler] of routes) {
      const m = routeMethod === method ? pattern.exec(path) : null;
      if (m) {
        try {
          match = { handler, ids: m.slice(1).map((s) => decodeURIComponent(s)) };
        } catch {
          match = undefined;
        }
        break;
      }
    }
    if (!match) {
      return reply({
        status: 404,
        body: {
          error: {
            message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
            type: "invalid_request_error",
          },
        },
      });
    }

    // Idempotency, as Stripe: a key is bound to its first request's endpoint and parameters,
    // and the first result is replayed, errors included, for 24 hours.
    const endpoint = `${method} ${path}`;
    const params = canonicalParams(form);
    const storeKey = idempotencyKey === null ? null : `${apiKey}\u0000${idempotencyKey}`;
    if (idempotencyKey !== null && storeKey !== null) {
      if (idempotencyKey.length > 255) {
        return reply(errorResult(invalidParam("Idempotency-Key", "Idempotency keys can be no longer than 255 characters.", "idempotency_key_too_long"), requestId));
      }
      pruneIdempotency(clock.now().getTime());
      const stored = idempotent.get(storeKey);
      if (stored) {
        if (stored.endpoint !== endpoint) {
          return reply(
            errorResult(
              new StripeApiError(400, {
                type: "idempotency_error",
                message: `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${stored.endpoint}' vs '${endpoint}'). Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
              }),
              requestId,
            ),
          );
        }
        if (stored.params !== params) {
          return reply(
            errorResult(
              new StripeApiError(400, {
                type: "idempotency_error",
                message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
              }),
              requestId,
            ),
          );
        }
        record.replayed = true;
        return reply({ status: stored.status, body: stored.body }, { "idempotent-replayed": "true", "original-request": stored.requestId });
      }
    }

    const chargesBefore = charges.size;
    const ctx: Ctx = { params: new Params(form), request: { id: requestId, idempotency_key: idempotencyKey }, now: nowSeconds() };
    let result: Result;
    try {
      result = match.handler(ctx, ...match.ids);
      result = { status: result.status, body: expand(clone(result.body), ctx.params.strings("expand") ?? []) };
    } catch (error) {
      if (!(error instanceof StripeApiError)) {
        logger?.error({ err: error, method, path }, "stripe emulator: handler failed");
        return reply({ status: 500, body: { error: { message: "An unknown error occurred", type: "api_error" } } });
      }
      result = errorResult(error, requestId);
    }
    if (storeKey !== null) {
      idempotent.set(storeKey, { endpoint, params, status: result.status, body: result.body, storedAtMs: clock.now().getTime(), requestId });
    }
    const dropCharge = fault.dropAfterCharge > 0 && charges.size > chargesBefore;
    if (dropCharge || fault.dropAfterExecution > 0) {
      if (dropCharge) fault.dropAfterCharge--;
      else fault.dropAfterExecution--;
      record.fault = "drop";
      record.status = -1;
      logger?.debug({ method, path, requestId }, "stripe emulator: connection dropped after execution (fault)");
      res.socket?.destroy();
      return;
    }
    reply(result);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger?.error({ err: error }, "stripe emulator: request failed");
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" }).end('{"error":{"type":"api_error","message":"An unknown error occurred"}}');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  logger?.info({ url }, "stripe emulator listening");

  const values = (map: Map<string, Json>) => [...map.values()].map(clone);
  return {
    url,
    faults: {
      latency(ms) {
        fault.latencyMs = Math.max(0, ms);
      },
      failNext(count, status = 500) {
        if (status < 500 || status > 599) throw new RangeError("failNext: status must be a 5xx");
        fault.failCount = count;
        fault.failStatus = status;
      },
      dropAfterCharge(count = 1) {
        fault.dropAfterCharge = count;
      },
      dropAfterExecution(count = 1) {
        fault.dropAfterExecution = count;
      },
      clear() {
        Object.assign(fault, { latencyMs: 0, failCount: 0, failStatus: 500, dropAfterCharge: 0, dropAfterExecution: 0 });
      },
    },
    settle,
    completeAuthentication,
    resendEvent(eventId) {
      const event = events.find((e) => e.id === eventId);
      if (!event) throw new Error(`resendEvent: no event ${eventId}`);
      if (!dispatcher) throw new Error("resendEvent: the emulator has no webhook endpoint");
      event.pending_webhooks = (event.pending_webhooks as number) + 1;
      dispatcher.enqueue(clone(event));
    },
    chargesSucceeded: () => [...charges.values()].filter((c) => c.status === "succeeded").length,
    charges: () => values(charges),
    customers: () => values(customers),
    paymentIntents: () => values(paymentIntents),
    refunds: () => values(refunds),
    setupIntents: () => values(setupIntents),
    events: () => events.map(clone),
    requests: () => requestLog.map((r) => ({ ...r })),
    webhookDeliveries: () => (dispatcher?.deliveries ?? []).map((d) => ({ ...d, attempts: [...d.attempts] })),
    webhooksIdle: () => dispatcher?.idle() ?? Promise.resolve(),
    async stop() {
      await dispatcher?.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

