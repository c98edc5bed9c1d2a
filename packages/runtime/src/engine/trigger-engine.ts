import { batch, idempotencyKeys, tasks } from "@trigger.dev/sdk";
import { systemClock } from "@paycron/core";
import { DEFAULT_TRIGGER_LIMITS, TriggerPacer, type TriggerLimits } from "./trigger-limits.ts";
import { EngineRateLimitedError, type DispatchItem, type RemoteDispatchEngine, type RemoteDispatchResult } from "./types.ts";

export interface TriggerEngineOptions {
  secretKey: string;
  /** https://api.trigger.dev, a self-hosted webapp, or a loopback fake in tests. */
  baseURL: string;
  /** The platform's limits this process paces itself to (default: Hobby/Pro). */
  limits?: Partial<TriggerLimits>;
}

/**
 * Production: outbox rows become Trigger.dev runs, one row with `tasks.trigger`, more with the batch
 * API (up to `maxBatchItems` a call), each item with its own idempotency key, delay and concurrency
 * key, so a batch sent twice (a crash, a cut stream) adds no run. No batch-level key: a retried
 * batch with the same key would be answered "cached" and its unsent items skipped.
 *
 * The SDK's client retries a dead API for ~9 s per call by default; here one try is enough
 * (maxAttempts 1), because a failed dispatch stays in the outbox and is tried again.
 */
export function triggerEngine(options: TriggerEngineOptions): RemoteDispatchEngine {
  const pacer = new TriggerPacer({ ...DEFAULT_TRIGGER_LIMITS, ...options.limits });
  const requestOptions = { retry: { maxAttempts: 1 }, clientConfig: { secretKey: options.secretKey, baseURL: options.baseURL } };

  async function itemOptions(item: DispatchItem, now: Date) {
    // Global scope: a raw key is run-scoped when triggered from inside a task (the sweeper
    // is one), which would give every sweep a different key and a duplicate run.
    const idempotencyKey = await idempotencyKeys.create(item.idempotencyKey, { scope: "global" });
    const ttlSeconds = Math.max(1, Math.ceil((item.idempotencyExpiresAt.getTime() - now.getTime()) / 1_000));
    return {
      idempotencyKey,
      idempotencyKeyTTL: `${ttlSeconds}s`,
      delay: item.availableAt > now ? item.availableAt : undefined,
      concurrencyKey: item.concurrencyKey ?? undefined,
    };
  }

  async function send(items: readonly DispatchItem[], now: Date): Promise<RemoteDispatchResult> {
    if (items.length === 1) {
      const [item] = items as [DispatchItem];
      pacer.spend(1, 0);
      const handle = await tasks.trigger(item.taskId, item.payload as never, await itemOptions(item, now), requestOptions);
      return { runId: handle.id, batchId: null };
    }
    const batchItems = await Promise.all(items.map(async (item) => ({ id: item.taskId, payload: item.payload, options: await itemOptions(item, now) })));
    pacer.spend(2, items.length);
    const handle = await batch.trigger(batchItems as never, undefined, requestOptions);
    return { runId: null, batchId: handle.batchId };
  }

  return {
    kind: "trigger",
    limits: pacer.limits,
    capacity: () => pacer.capacity(),
    rateScale: () => pacer.rateScale,
    async dispatch(items, now) {
      if (items.length === 0 || items.length > pacer.limits.maxBatchItems) {
        throw new RangeError(`a dispatch sends 1 to ${pacer.limits.maxBatchItems} items, got ${items.length}`);
      }
      try {
        const result = await send(items, now);
        pacer.succeeded();
        return result;
      } catch (error) {
        // The reset is a wall-clock time of the platform's, so it is read against the system clock.
        const waitMs = rateLimitWaitMs(error, systemClock.now().getTime());
        if (waitMs === null) throw error;
        pacer.rateLimited(waitMs);
        throw new EngineRateLimitedError(waitMs, error);
      }
    },
  };
}

const DEFAULT_RATE_LIMIT_WAIT_MS = 1_000;

interface ApiErrorLike {
  name?: string;
  status?: number;
  headers?: Record<string, string | undefined>;
  isRateLimited?: boolean;
  apiError?: ApiErrorLike;
}

/**
 * The wait a 429 asks for (`x-ratelimit-reset`, epoch ms, else `retry-after`, seconds or a date), or
 * null when the error is no 429. Duck-typed: the SDK's error classes may come from another copy of
 * @trigger.dev/core than ours, so instanceof is not reliable.
 */
export function rateLimitWaitMs(error: unknown, wallNowMs: number): number | null {
  const e = error as ApiErrorLike | null;
  const apiError = e?.name === "BatchTriggerError" ? e.apiError : e;
  if (apiError?.status !== 429) return e?.isRateLimited ? DEFAULT_RATE_LIMIT_WAIT_MS : null;
  const headers = apiError.headers ?? {};
  const resetAt = Number.parseInt(headers["x-ratelimit-reset"] ?? "", 10);
  if (Number.isFinite(resetAt)) return Math.max(0, resetAt - wallNowMs);
  const retryAfter = headers["retry-after"];
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1_000);
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.max(0, date - wallNowMs);
  }
  return DEFAULT_RATE_LIMIT_WAIT_MS;
}
