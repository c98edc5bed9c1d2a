import { createHash, randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One `POST /emails` as it arrived, whatever the answer. */
export interface CapturedRequest {
  authorization: string | undefined;
  idempotencyKey: string | undefined;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  status: number;
}

/** An email Resend would have sent: one per accepted, non-repeated request. */
export interface CapturedEmail {
  id: string;
  idempotencyKey: string | undefined;
  body: Record<string, unknown>;
}

/** An answer forced on the next requests, before any other check (as a rate limiter or an outage would). */
export type CaptureFault =
  | { status: 429; retryAfterSeconds?: number }
  | { status: number; name?: string; message?: string };

export interface ResendCapture {
  /** The base URL for `new Resend(key, { baseUrl })` or RESEND_BASE_URL. */
  url: string;
  requests: CapturedRequest[];
  emails: CapturedEmail[];
  /** Answer the next `count` requests with `fault` instead of handling them. */
  failNext(count: number, fault: CaptureFault): void;
  /**
   * Accept the next `count` emails (recorded, keys remembered: Resend has sent them) but never
   * answer: the sender is left waiting, as one killed between Resend's accept and its own write.
   */
  holdAfterAccept(count: number): void;
  close(): Promise<void>;
}

/**
 * A loopback stand-in for Resend's `POST /emails`, as the resend SDK sends it: a Bearer key, JSON
 * body, optional Idempotency-Key. It deduplicates by key like Resend: the same key with the same
 * body answers the first email's id and sends nothing; the same key with another body answers 409
 * `invalid_idempotent_request`. Errors have Resend's shape (`{ statusCode, name, message }`), which
 * the SDK hands back as `{ error }`. Keys never expire here (Resend keeps them 24 hours).
 */
export async function startResendCapture(): Promise<ResendCapture> {
  const requests: CapturedRequest[] = [];
  const emails: CapturedEmail[] = [];
  const byKey = new Map<string, { bodyHash: string; id: string }>();
  const faults: CaptureFault[] = [];
  let holds = 0;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      if (req.method !== "POST" || req.url !== "/emails") return answerError(res, 404, "not_found", `no route ${req.method} ${req.url}`);
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        // Recorded with an empty body; the validation below refuses it.
      }
      const authorization = req.headers.authorization;
      const idempotencyKey = header(req.headers, "idempotency-key");
      const record = (status: number) => requests.push({ authorization, idempotencyKey, headers: req.headers, body, status });

      const fault = faults.shift();
      if (fault) {
        record(fault.status);
        if (fault.status === 429) {
          const retryAfter = "retryAfterSeconds" in fault && fault.retryAfterSeconds !== undefined ? fault.retryAfterSeconds : 1;
          res.setHeader("retry-after", String(retryAfter));
          return answerError(res, 429, "rate_limit_exceeded", "Too many requests. You can only make 2 requests per second.");
        }
        const named = fault as { name?: string; message?: string };
        return answerError(res, fault.status, named.name ?? (fault.status >= 500 ? "internal_server_error" : "validation_error"), named.message ?? "fault injected by the capture server");
      }
      if (!authorization?.startsWith("Bearer re_")) {
        record(401);
        return answerError(res, 401, "missing_api_key", "Missing API key in the authorization header.");
      }
      if (typeof body.from !== "string" || body.to === undefined || typeof body.subject !== "string" || (body.html === undefined && body.text === undefined)) {
        record(422);
        return answerError(res, 422, "validation_error", "from, to, subject and html or text are required.");
      }
      const bodyHash = createHash("sha256").update(raw).digest("hex");
      if (idempotencyKey !== undefined) {
        const seen = byKey.get(idempotencyKey);
        if (seen && seen.bodyHash !== bodyHash) {
          record(409);
          return answerError(res, 409, "invalid_idempotent_request", "Same idempotency key used with a different request payload.");
        }
        if (seen) {
          record(200);
          return answerJson(res, 200, { id: seen.id });
        }
      }
      const id = randomUUID();
      if (idempotencyKey !== undefined) byKey.set(idempotencyKey, { bodyHash, id });
      emails.push({ id, idempotencyKey, body });
      record(200);
      if (holds > 0) {
        holds--;
        return;
      }
      answerJson(res, 200, { id });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    emails,
    failNext(count, fault) {
      for (let i = 0; i < count; i++) faults.push(fault);
    },
    holdAfterAccept(count) {
      holds += count;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // The SDK's fetch keeps connections alive; they would hold close() open.
        server.closeAllConnections();
      }),
  };
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function answerJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

function answerError(res: ServerResponse, statusCode: number, name: string, message: string): void {
  answerJson(res, statusCode, { statusCode, name, message });
}
