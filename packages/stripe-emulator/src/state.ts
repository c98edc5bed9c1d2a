import type { Clock, Logger } from "@paycron/core";
import { notFound } from "./errors.ts";
import { buildEvent, type Json } from "./objects.ts";
import type { Params } from "./params.ts";
import type { TestMethod } from "./test-methods.ts";
import { WebhookDispatcher, type WebhookEndpointOptions } from "./webhooks.ts";

/** An event's `request`: the API call that caused it, or null ids for automatic changes. */
export interface EventRequest {
  id: string | null;
  idempotency_key: string | null;
}

export interface Ctx {
  params: Params;
  /** What events caused by this call carry as `request` (null ids for automatic changes). */
  request: EventRequest;
  now: number;
}

export interface Result {
  status: number;
  body: Json;
}

export type Handler = (ctx: Ctx, ...ids: string[]) => Result;
export type Route = [method: string, pattern: RegExp, handler: Handler];

export interface PaymentMethodRecord {
  object: Json;
  method: TestMethod;
}

export interface Settlement {
  paymentIntent: string;
  charge: string;
  atMs: number;
  failure?: { code: string; message: string };
}

export const AUTOMATIC: EventRequest = { id: null, idempotency_key: null };

export const clone = <T>(value: T): T => structuredClone(value);

export interface StateOptions {
  clock: Clock;
  logger?: Logger;
  webhook?: WebhookEndpointOptions;
  idSeed?: string;
  bankSettlementMs?: number;
}

/** The emulator's in-memory Stripe account: the objects, the events, and the ids and times they get. */
export interface State {
  readonly clock: Clock;
  readonly settlementMs: number;
  newId(prefix: string): string;
  nowSeconds(): number;
  readonly customers: Map<string, Json>;
  readonly paymentMethods: Map<string, PaymentMethodRecord>;
  readonly paymentIntents: Map<string, Json>;
  readonly charges: Map<string, Json>;
  readonly refunds: Map<string, Json>;
  readonly setupIntents: Map<string, Json>;
  readonly events: Json[];
  readonly settlements: Settlement[];
  readonly dispatcher: WebhookDispatcher | undefined;
  emit(type: string, object: Json, request: EventRequest, previous?: Json): void;
  /** `*.updated` with the previous values of the top-level fields that changed; nothing when nothing did. */
  emitUpdated(type: string, before: Json, after: Json, ctx: Ctx | null): void;
}

export function createState(options: StateOptions): State {
  const { clock } = options;
  const seed = options.idSeed ?? "emu";
  const counters = new Map<string, number>();
  const newId = (prefix: string) => {
    const n = (counters.get(prefix) ?? 0) + 1;
    counters.set(prefix, n);
    return `${prefix}_${seed}${n.toString(36).padStart(12, "0")}`;
  };
  const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);
  const events: Json[] = [];

  const dispatcher = options.webhook
    ? new WebhookDispatcher(options.webhook, clock, options.logger, (eventId, delivered) => {
        // Stripe counts the endpoints that have not yet received the event successfully.
        const event = delivered ? events.find((e) => e.id === eventId) : undefined;
        if (event) event.pending_webhooks = Math.max(0, (event.pending_webhooks as number) - 1);
      })
    : undefined;

  function emit(type: string, object: Json, request: EventRequest, previous?: Json): void {
    const event = buildEvent(newId("evt"), nowSeconds(), type, object, request, previous);
    const deliver = dispatcher?.wants(type) ?? false;
    event.pending_webhooks = deliver ? 1 : 0;
    events.push(event);
    if (deliver) dispatcher!.enqueue(clone(event));
  }

  function emitUpdated(type: string, before: Json, after: Json, ctx: Ctx | null): void {
    const previous: Json = {};
    for (const key of Object.keys(after)) {
      if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) previous[key] = before[key];
    }
    if (Object.keys(previous).length > 0) emit(type, after, ctx ? ctx.request : AUTOMATIC, previous);
  }

  return {
    clock,
    settlementMs: options.bankSettlementMs ?? 4 * 24 * 60 * 60 * 1000,
    newId,
    nowSeconds,
    customers: new Map(),
    paymentMethods: new Map(),
    paymentIntents: new Map(),
    charges: new Map(),
    refunds: new Map(),
    setupIntents: new Map(),
    events,
    settlements: [],
    dispatcher,
    emit,
    emitUpdated,
  };
}

export function customerOf(state: State, id: string, param = "id"): Json {
  const customer = state.customers.get(id);
  if (!customer) throw notFound("customer", id, param);
  return customer;
}

export function paymentIntentOf(state: State, id: string): Json {
  const pi = state.paymentIntents.get(id);
  if (!pi) throw notFound("payment_intent", id, "intent");
  return pi;
}

export function setupIntentOf(state: State, id: string): Json {
  const si = state.setupIntents.get(id);
  if (!si) throw notFound("setup_intent", id, "intent");
  return si;
}

/** A GET handler answering the stored object, or Stripe's 404 for `kind`. */
export const retrieveFrom = (map: Map<string, Json>, kind: string) => (_ctx: Ctx, id: string): Result => {
  const object = map.get(id);
  if (!object) throw notFound(kind, id);
  return { status: 200, body: object };
};
