import { setTimeout as sleep } from "node:timers/promises";
import type { Clock, Logger } from "@paycron/core";
import { signStripePayload } from "@paycron/stripe";
import type { Json } from "./objects.ts";

export interface WebhookEndpointOptions {
  url: string;
  /** The endpoint's signing secret (`whsec_…`), as `stripe listen` or the dashboard gives it. */
  secret: string;
  /**
   * Wait before each retry, in real milliseconds; its length bounds the attempts (1 + retries).
   * Stripe retries for three days with exponential backoff; the emulator keeps the order of
   * magnitude short so tests and `pnpm dev` see the retries. Default [100, 200, 400, 800, 1600].
   */
  retryDelaysMs?: readonly number[];
  /** Event types to deliver (`*` for all, the default). Every event is still recorded. */
  enabledEvents?: readonly string[];
  /** Per-attempt timeout in real ms (Stripe's is 30 s; default 10 s). */
  timeoutMs?: number;
}

export interface WebhookDelivery {
  eventId: string;
  type: string;
  objectId: string;
  status: "pending" | "delivered" | "failed";
  attempts: Array<{ status: number | null; error?: string }>;
}

/**
 * Deliveries to one endpoint: each event is POSTed, signed, and retried with backoff while the
 * receiver answers non-2xx or cannot be reached. Events about one object go out in the order they
 * happened (a queue per object id); different objects do not wait for each other.
 */
export class WebhookDispatcher {
  readonly deliveries: WebhookDelivery[] = [];
  readonly #queues = new Map<string, Promise<void>>();
  readonly #inFlight = new Set<Promise<void>>();
  readonly #retryDelays: readonly number[];
  #stopped = false;
  readonly #abort = new AbortController();

  constructor(
    private readonly options: WebhookEndpointOptions,
    private readonly clock: Clock,
    private readonly logger: Logger | undefined,
    private readonly onSettled: (eventId: string, delivered: boolean) => void,
  ) {
    this.#retryDelays = options.retryDelaysMs ?? [100, 200, 400, 800, 1600];
  }

  wants(type: string): boolean {
    const enabled = this.options.enabledEvents ?? ["*"];
    return enabled.includes("*") || enabled.includes(type);
  }

  enqueue(event: Json): void {
    const objectId = String(event.data?.object?.id ?? event.id);
    const delivery: WebhookDelivery = { eventId: event.id, type: event.type, objectId, status: "pending", attempts: [] };
    this.deliveries.push(delivery);
    const previous = this.#queues.get(objectId) ?? Promise.resolve();
    const next = previous.then(() => this.#deliver(event, delivery));
    this.#queues.set(objectId, next);
    this.#inFlight.add(next);
    void next.finally(() => {
      this.#inFlight.delete(next);
      if (this.#queues.get(objectId) === next) this.#queues.delete(objectId);
    });
  }

  /** Resolves once every delivery queued so far has been delivered or given up on. */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight]);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#abort.abort();
    await this.idle();
  }

  async #deliver(event: Json, delivery: WebhookDelivery): Promise<void> {
    const body = JSON.stringify(event, null, 2);
    for (let attempt = 0; ; attempt++) {
      if (this.#stopped) break;
      const timestamp = Math.floor(this.clock.now().getTime() / 1000);
      try {
        const response = await fetch(this.options.url, {
          method: "POST",
          body,
          headers: {
            "content-type": "application/json; charset=utf-8",
            "stripe-signature": signStripePayload(body, this.options.secret, timestamp),
            "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
          },
          signal: AbortSignal.any([this.#abort.signal, AbortSignal.timeout(this.options.timeoutMs ?? 10_000)]),
        });
        await response.arrayBuffer().catch(() => undefined);
        delivery.attempts.push({ status: response.status });
        if (response.ok) {
          delivery.status = "delivered";
          this.logger?.debug({ eventId: event.id, type: event.type, attempt: attempt + 1 }, "stripe emulator: webhook delivered");
          break;
        }
        this.logger?.warn({ eventId: event.id, type: event.type, status: response.status, attempt: attempt + 1 }, "stripe emulator: webhook refused");
      } catch (error) {
        const message = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
        delivery.attempts.push({ status: null, error: message });
        this.logger?.warn({ eventId: event.id, type: event.type, err: message, attempt: attempt + 1 }, "stripe emulator: webhook not delivered");
      }
      const delay = this.#retryDelays[attempt];
      if (delay === undefined || this.#stopped) break;
      try {
        await sleep(delay, undefined, { signal: this.#abort.signal });
      } catch {
        break;
      }
    }
    if (delivery.status !== "delivered") delivery.status = "failed";
    this.onSettled(event.id, delivery.status === "delivered");
  }
}
