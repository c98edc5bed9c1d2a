import type { Clock, Logger } from "@paycron/core";
import type { Json } from "./objects.ts";
import { settle } from "./resources/bank-settlement.ts";
import { chargeAndRefundRoutes } from "./resources/charges-and-refunds.ts";
import { customerRoutes } from "./resources/customers.ts";
import { eventRoutes, resendEvent } from "./resources/events.ts";
import { completeAuthentication, paymentIntentRoutes } from "./resources/payment-intents.ts";
import { paymentMethodRoutes } from "./resources/payment-methods.ts";
import { setupIntentRoutes } from "./resources/setup-intents.ts";
import type { StripeEmulatorRateLimit } from "./rate-limit.ts";
import { startServer } from "./server.ts";
import { clone, createState } from "./state.ts";
import type { WebhookDelivery, WebhookEndpointOptions } from "./webhooks.ts";

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
  /**
   * Stripe's request rate limits (real time, token buckets of one second's worth): a request over
   * them answers 429 `rate_limit` without being executed. Off when absent.
   */
  rateLimit?: StripeEmulatorRateLimit;
}

export interface RequestRecord {
  method: string;
  path: string;
  status: number;
  idempotencyKey: string | null;
  replayed: boolean;
  /** The fault applied to it, if any. */
  fault?: "latency" | "error" | "drop" | "hold";
  /** Answered 429 `rate_limit` (over the emulator's rateLimit), not executed. */
  rateLimited?: true;
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
  /**
   * The next `count` requests that create a charge are executed and recorded, then never answered
   * (the connection stays open): the moment to SIGKILL a worker in a crash test.
   */
  holdAfterCharge(count?: number): void;
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
  /** Replaces the rate limit (undefined: none), with full buckets. */
  setRateLimit(limit: StripeEmulatorRateLimit | undefined): void;
  /** How many requests were answered 429 for the rate limit so far. */
  rateLimitedCount(): number;
  webhookDeliveries(): WebhookDelivery[];
  /** Resolves once every webhook queued so far is delivered or given up on. */
  webhooksIdle(): Promise<void>;
  stop(): Promise<void>;
}

export async function startStripeEmulator(options: StripeEmulatorOptions): Promise<StripeEmulator> {
  const state = createState(options);
  const routes = [
    ...customerRoutes(state),
    ...paymentMethodRoutes(state),
    ...paymentIntentRoutes(state),
    ...chargeAndRefundRoutes(state),
    ...setupIntentRoutes(state),
    ...eventRoutes(state),
  ];
  const server = await startServer({ state, routes, port: options.port, host: options.host, logger: options.logger, rateLimit: options.rateLimit });
  const { charges, dispatcher } = state;
  const values = (map: Map<string, Json>) => [...map.values()].map(clone);
  return {
    url: server.url,
    faults: server.faults,
    settle: () => settle(state),
    completeAuthentication: (id, result) => completeAuthentication(state, id, result),
    resendEvent: (eventId) => resendEvent(state, eventId),
    chargesSucceeded: () => [...charges.values()].filter((c) => c.status === "succeeded").length,
    charges: () => values(charges),
    customers: () => values(state.customers),
    paymentIntents: () => values(state.paymentIntents),
    refunds: () => values(state.refunds),
    setupIntents: () => values(state.setupIntents),
    events: () => state.events.map(clone),
    requests: () => server.requests(),
    setRateLimit: (limit) => server.setRateLimit(limit),
    rateLimitedCount: () => server.rateLimitedCount(),
    webhookDeliveries: () => (dispatcher?.deliveries ?? []).map((d) => ({ ...d, attempts: [...d.attempts] })),
    webhooksIdle: () => dispatcher?.idle() ?? Promise.resolve(),
    async stop() {
      await dispatcher?.stop();
      await server.close();
    },
  };
}
