import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { parsePacket } from "@trigger.dev/core/v3";

export interface RecordedTrigger {
  taskId: string;
  payload: unknown;
  options: Record<string, unknown>;
  runId: string;
  /** performance.now() when the request arrived. */
  at: number;
}

export interface TriggerApiStandIn {
  url: string;
  triggers: RecordedTrigger[];
  /** Resolves with the first trigger of `taskId` (already recorded or still to come). */
  next(taskId: string): Promise<RecordedTrigger>;
  close(): Promise<void>;
}

/**
 * A loopback stand-in for the Trigger.dev API: `POST /api/v1/tasks/:id/trigger` as the SDK sends it
 * (superjson payload, hashed idempotency key), deduplicated by key as the platform does. Each new run
 * is handed to `onTrigger`, which plays the deployed worker when a test wants the run executed.
 */
export async function startTriggerApiStandIn(options: { onTrigger?: (trigger: RecordedTrigger) => void } = {}): Promise<TriggerApiStandIn> {
  const triggers: RecordedTrigger[] = [];
  const runsByKey = new Map<string, string>();
  const waiters: Array<{ taskId: string; resolve: (t: RecordedTrigger) => void }> = [];

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        const match = /^\/api\/v1\/tasks\/([^/]+)\/trigger$/.exec(req.url ?? "");
        if (req.method !== "POST" || !match) {
          res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: "not found" }));
          return;
        }
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { payload: string; options: Record<string, unknown> };
        const key = String(body.options.idempotencyKey ?? `none-${triggers.length}`);
        const cached = runsByKey.get(key);
        const runId = cached ?? `run_standin_${runsByKey.size + 1}`;
        runsByKey.set(key, runId);
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id: runId, isCached: !!cached }));
        if (cached) return;
        const payload = await parsePacket({ data: body.payload, dataType: String(body.options.payloadType ?? "application/super+json") });
        const trigger: RecordedTrigger = { taskId: decodeURIComponent(match[1]!), payload, options: body.options, runId, at: performance.now() };
        triggers.push(trigger);
        for (const w of waiters.filter((w) => w.taskId === trigger.taskId)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(trigger);
        }
        options.onTrigger?.(trigger);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    triggers,
    next: (taskId) =>
      new Promise((resolve) => {
        const seen = triggers.find((t) => t.taskId === taskId);
        if (seen) resolve(seen);
        else waiters.push({ taskId, resolve });
      }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
