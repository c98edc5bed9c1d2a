import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "@paycron/core";
import type { RequestRecord, StripeEmulatorFaults } from "./emulator.ts";
import { invalidParam, StripeApiError } from "./errors.ts";
import { expand } from "./expand.ts";
import { canonicalParams, FormError, type FormObject, parseForm } from "./form.ts";
import { API_VERSION } from "./objects.ts";
import { Params } from "./params.ts";
import { RATE_LIMITED, RateLimitGate, type StripeEmulatorRateLimit } from "./rate-limit.ts";
import { settle } from "./resources/bank-settlement.ts";
import { clone, type Ctx, type Handler, type Result, type Route, type State } from "./state.ts";

export interface ServerOptions {
  state: State;
  routes: readonly Route[];
  port?: number;
  host?: string;
  logger?: Logger;
  rateLimit?: StripeEmulatorRateLimit;
}

export interface RunningServer {
  readonly url: string;
  readonly faults: StripeEmulatorFaults;
  requests(): RequestRecord[];
  setRateLimit(limit: StripeEmulatorRateLimit | undefined): void;
  rateLimitedCount(): number;
  close(): Promise<void>;
}

interface StoredResult extends Result {
  endpoint: string;
  params: string;
  storedAtMs: number;
  requestId: string;
}

const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
const MAX_BODY_BYTES = 1 << 20;

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

/** The emulator's HTTP side: auth, form parsing, routing, idempotency, `expand[]` and faults, over `state`. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { state, routes, logger } = options;
  const { clock, charges } = state;
  const requestLog: RequestRecord[] = [];
  const idempotent = new Map<string, StoredResult>();
  const gate = new RateLimitGate(routes, options.rateLimit);
  const fault = { latencyMs: 0, failCount: 0, failStatus: 500, dropAfterCharge: 0, dropAfterExecution: 0, holdAfterCharge: 0 };

  // Keys are stored in the order of their first use, so the expired ones are at the front: stop at
  // the first live one instead of scanning every key on every request.
  function pruneIdempotency(nowMs: number): void {
    for (const [key, stored] of idempotent) {
      if (nowMs - stored.storedAtMs <= IDEMPOTENCY_TTL_MS) break;
      idempotent.delete(key);
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = state.newId("req");
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
    // Before anything else runs: a request over Stripe's rate limit is not executed, and its
    // Idempotency-Key is not stored (the retry with the same key is a first request).
    if (!gate.admit(method, path)) {
      record.rateLimited = true;
      logger?.debug({ method, endpoint: gate.endpointOf(method, path), requestId }, "stripe emulator: rate limited");
      return reply(errorResult(RATE_LIMITED, requestId));
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

    settle(state);

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
    const ctx: Ctx = { params: new Params(form), request: { id: requestId, idempotency_key: idempotencyKey }, now: state.nowSeconds() };
    let result: Result;
    try {
      result = match.handler(ctx, ...match.ids);
      result = { status: result.status, body: expand(state, clone(result.body), ctx.params.strings("expand") ?? []) };
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
    if (fault.holdAfterCharge > 0 && charges.size > chargesBefore) {
      // The charge is made and its result stored, and the caller never hears back: what a
      // process killed while waiting for Stripe's answer leaves behind.
      fault.holdAfterCharge--;
      record.fault = "hold";
      record.status = -1;
      logger?.debug({ method, path, requestId }, "stripe emulator: response withheld after a charge (fault)");
      return;
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
      holdAfterCharge(count = 1) {
        fault.holdAfterCharge = count;
      },
      clear() {
        Object.assign(fault, { latencyMs: 0, failCount: 0, failStatus: 500, dropAfterCharge: 0, dropAfterExecution: 0, holdAfterCharge: 0 });
      },
    },
    requests: () => requestLog.map((r) => ({ ...r })),
    setRateLimit: (limit) => gate.set(limit),
    rateLimitedCount: () => gate.refusedCount(),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
