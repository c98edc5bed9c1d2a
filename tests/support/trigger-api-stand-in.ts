import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parsePacket } from "@trigger.dev/core/v3";

export interface RecordedTrigger {
  taskId: string;
  payload: unknown;
  options: Record<string, unknown>;
  runId: string;
  /** The batch that created the run (batch API), if any. */
  batchId?: string;
  /** performance.now() when the request arrived. */
  at: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  status: number;
  at: number;
}

export interface RecordedBatch {
  id: string;
  runCount: number;
  itemsAccepted: number;
  itemsDeduplicated: number;
  sealed: boolean;
}

/**
 * The platform's limits (trigger.dev/docs/limits, Hobby/Pro): at most 1,000 items a batch, a token
 * bucket of runs for batches (5,000 burst, then 500 every 5 s) and 1,500 API requests a minute.
 * Each one answers 429 with `retry-after` (seconds) and `x-ratelimit-reset` (epoch ms) as the API does.
 */
export interface TriggerPlatformLimits {
  maxBatchItems: number;
  batchBurst: number;
  batchRefillRuns: number;
  batchRefillEveryMs: number;
  apiRequestsPerMinute: number;
}

export const TRIGGER_PLATFORM_LIMITS: TriggerPlatformLimits = {
  maxBatchItems: 1_000,
  batchBurst: 5_000,
  batchRefillRuns: 500,
  batchRefillEveryMs: 5_000,
  apiRequestsPerMinute: 1_500,
};

export interface TriggerApiStandIn {
  url: string;
  triggers: RecordedTrigger[];
  requests: RecordedRequest[];
  batches: RecordedBatch[];
  /** Resolves with the first trigger of `taskId` (already recorded or still to come). */
  next(taskId: string): Promise<RecordedTrigger>;
  faults: {
    /** The next `count` requests answer 429 with a reset `retryAfterMs` from now. */
    rateLimitNext(count: number, retryAfterMs: number): void;
    /** The next batch stream enqueues its first `items` items, then the connection is cut. */
    cutNextStreamAfter(items: number): void;
  };
  close(): Promise<void>;
}

/** Runs (tokens) that refill in steps, as the platform's batch limiter does; real time. */
class RunBucket {
  private tokens: number;
  private refilledAt = performance.now();
  constructor(private readonly limits: TriggerPlatformLimits) {
    this.tokens = limits.batchBurst;
  }
  /** Takes `runs` tokens, or returns the ms until there are enough. */
  take(runs: number): number {
    const { batchBurst, batchRefillRuns, batchRefillEveryMs } = this.limits;
    const steps = Math.floor((performance.now() - this.refilledAt) / batchRefillEveryMs);
    if (steps > 0) {
      this.tokens = Math.min(batchBurst, this.tokens + steps * batchRefillRuns);
      this.refilledAt += steps * batchRefillEveryMs;
    }
    if (this.tokens >= runs) {
      this.tokens -= runs;
      return 0;
    }
    const stepsNeeded = Math.ceil((runs - this.tokens) / batchRefillRuns);
    return this.refilledAt + stepsNeeded * batchRefillEveryMs - performance.now();
  }
}

/** Requests per sliding minute. */
class RequestWindow {
  private readonly times: number[] = [];
  constructor(private readonly perMinute: number) {}
  admit(): number {
    const now = performance.now();
    while (this.times.length > 0 && this.times[0]! <= now - 60_000) this.times.shift();
    if (this.times.length < this.perMinute) {
      this.times.push(now);
      return 0;
    }
    return this.times[0]! + 60_000 - now;
  }
}

interface Batch extends RecordedBatch {
  indexes: Set<number>;
}

/**
 * A loopback stand-in for the Trigger.dev API as the SDK speaks it: `POST /api/v1/tasks/:id/trigger`
 * and the two-phase batch API (`POST /api/v3/batches`, then NDJSON items to
 * `/api/v3/batches/:id/items`), superjson payloads and hashed idempotency keys, deduplicated by key as
 * the platform does, within the platform's limits. Each new run is handed to `onTrigger`, which plays
 * the deployed worker when a test wants the run executed.
 */
export async function startTriggerApiStandIn(
  options: { onTrigger?: (trigger: RecordedTrigger) => void; limits?: Partial<TriggerPlatformLimits> } = {},
): Promise<TriggerApiStandIn> {
  const limits = { ...TRIGGER_PLATFORM_LIMITS, ...options.limits };
  const triggers: RecordedTrigger[] = [];
  const requests: RecordedRequest[] = [];
  const batchList: RecordedBatch[] = [];
  const batches = new Map<string, Batch>();
  const runsByKey = new Map<string, string>();
  const waiters: Array<{ taskId: string; resolve: (t: RecordedTrigger) => void }> = [];
  const bucket = new RunBucket(limits);
  const window = new RequestWindow(limits.apiRequestsPerMinute);
  let forced429: { count: number; retryAfterMs: number } | undefined;
  let cutStreamAfter: number | undefined;
  let runCounter = 0;

  /** A new run for `key`, or the run it already has (`isCached`). */
  async function createRun(taskId: string, body: { payload: string; options: Record<string, unknown> }, batchId?: string) {
    const key = typeof body.options.idempotencyKey === "string" ? body.options.idempotencyKey : undefined;
    const cached = key ? runsByKey.get(key) : undefined;
    if (cached) return { runId: cached, isCached: true };
    const runId = `run_standin_${++runCounter}`;
    if (key) runsByKey.set(key, runId);
    const payload = await parsePacket({ data: body.payload, dataType: String(body.options.payloadType ?? "application/super+json") });
    const trigger: RecordedTrigger = { taskId, payload, options: body.options, runId, at: performance.now(), ...(batchId ? { batchId } : {}) };
    triggers.push(trigger);
    for (const w of waiters.filter((w) => w.taskId === taskId)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(trigger);
    }
    options.onTrigger?.(trigger);
    return { runId, isCached: false };
  }

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
  }

  function rateLimited(res: ServerResponse, waitMs: number, message: string) {
    const resetAt = Date.now() + Math.ceil(waitMs);
    send(res, 429, { error: message }, { "retry-after": String(Math.max(1, Math.ceil(waitMs / 1_000))), "x-ratelimit-reset": String(resetAt) });
  }

  async function handle(req: IncomingMessage, res: ServerResponse, body: string) {
    const path = req.url ?? "";
    if (forced429 && forced429.count > 0) {
      forced429.count -= 1;
      return rateLimited(res, forced429.retryAfterMs, "Rate limit exceeded");
    }
    const wait = window.admit();
    if (wait > 0) return rateLimited(res, wait, `Rate limit exceeded: ${limits.apiRequestsPerMinute} requests per minute`);

    const single = /^\/api\/v1\/tasks\/([^/]+)\/trigger$/.exec(path);
    if (req.method === "POST" && single) {
      const { runId, isCached } = await createRun(decodeURIComponent(single[1]!), JSON.parse(body) as never);
      return send(res, 200, { id: runId, isCached });
    }
    if (req.method === "POST" && path === "/api/v3/batches") {
      const { runCount } = JSON.parse(body) as { runCount: number };
      if (runCount > limits.maxBatchItems) return send(res, 400, { error: `Batch size of ${runCount} exceeds the maximum of ${limits.maxBatchItems}` });
      const waitMs = bucket.take(runCount);
      if (waitMs > 0) return rateLimited(res, waitMs, "Batch rate limit exceeded");
      const batch: Batch = { id: `batch_standin_${batches.size + 1}`, runCount, itemsAccepted: 0, itemsDeduplicated: 0, sealed: false, indexes: new Set() };
      batches.set(batch.id, batch);
      batchList.push(batch);
      return send(res, 200, { id: batch.id, runCount, isCached: false });
    }
    const items = /^\/api\/v3\/batches\/([^/]+)\/items$/.exec(path);
    if (req.method === "POST" && items) {
      const batch = batches.get(items[1]!);
      if (!batch) return send(res, 404, { error: "batch not found" });
      const lines = body.split("\n").filter((l) => l.trim() !== "");
      const cut = cutStreamAfter;
      cutStreamAfter = undefined;
      for (const [n, line] of lines.entries()) {
        if (cut !== undefined && n >= cut) {
          req.socket.destroy();
          return;
        }
        const item = JSON.parse(line) as { index: number; task: string; payload: string; options: Record<string, unknown> };
        if (batch.indexes.has(item.index)) continue;
        batch.indexes.add(item.index);
        const { isCached } = await createRun(item.task, item, batch.id);
        if (isCached) batch.itemsDeduplicated += 1;
        else batch.itemsAccepted += 1;
      }
      batch.sealed = batch.indexes.size === batch.runCount;
      return send(res, 200, {
        id: batch.id,
        itemsAccepted: batch.itemsAccepted,
        itemsDeduplicated: batch.itemsDeduplicated,
        sealed: batch.sealed,
        ...(batch.sealed ? {} : { enqueuedCount: batch.indexes.size, expectedCount: batch.runCount }),
      });
    }
    send(res, 404, { error: "not found" });
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const at = performance.now();
      res.on("finish", () => requests.push({ method: req.method ?? "", path: req.url ?? "", status: res.statusCode, at }));
      handle(req, res, Buffer.concat(chunks).toString("utf8")).catch((error: unknown) => send(res, 500, { error: String(error) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    triggers,
    requests,
    batches: batchList,
    next: (taskId) =>
      new Promise((resolve) => {
        const seen = triggers.find((t) => t.taskId === taskId);
        if (seen) resolve(seen);
        else waiters.push({ taskId, resolve });
      }),
    faults: {
      rateLimitNext: (count, retryAfterMs) => (forced429 = { count, retryAfterMs }),
      cutNextStreamAfter: (n) => (cutStreamAfter = n),
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
