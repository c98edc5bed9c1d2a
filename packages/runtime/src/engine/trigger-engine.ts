import { configure, idempotencyKeys, tasks } from "@trigger.dev/sdk";
import type { DispatchItem, RemoteDispatchEngine } from "./types.ts";

export interface TriggerEngineOptions {
  secretKey: string;
  /** https://api.trigger.dev, a self-hosted webapp, or a loopback fake in tests. */
  baseURL: string;
}

/**
 * Production: each outbox row becomes one Trigger.dev run. The SDK's client retries a dead API
 * for ~9 s per call by default; here one try is enough (maxAttempts 1), because a failed
 * dispatch stays in the outbox and the sweeper tries again.
 */
export function triggerEngine(options: TriggerEngineOptions): RemoteDispatchEngine {
  configure({ secretKey: options.secretKey, baseURL: options.baseURL });
  return {
    kind: "trigger",
    async dispatch(item: DispatchItem, now: Date) {
      // Global scope: a raw key is run-scoped when triggered from inside a task (the sweeper
      // is one), which would give every sweep a different key and a duplicate run.
      const idempotencyKey = await idempotencyKeys.create(item.idempotencyKey, { scope: "global" });
      const ttlSeconds = Math.max(1, Math.ceil((item.idempotencyExpiresAt.getTime() - now.getTime()) / 1_000));
      const handle = await tasks.trigger(
        item.taskId,
        item.payload as never,
        {
          idempotencyKey,
          idempotencyKeyTTL: `${ttlSeconds}s`,
          delay: item.availableAt > now ? item.availableAt : undefined,
          concurrencyKey: item.concurrencyKey ?? undefined,
        },
        { retry: { maxAttempts: 1 } },
      );
      return handle.id;
    },
  };
}
