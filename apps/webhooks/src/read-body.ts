import { CLIENT_CLOSED_REQUEST, HttpError } from "./http-error.ts";

/*
 * The body is read by us, not by a framework helper, so that an oversized one is refused before
 * it is buffered whole: a declared Content-Length over the limit is refused unread, and a chunked
 * body is counted as it streams and abandoned at the first byte past the limit. `Connection:
 * close` makes the server drop the rest instead of draining it for the next request.
 */
function payloadTooLarge(limit: number): HttpError {
  return new HttpError(413, "payload_too_large", `body exceeds the ${limit}-byte limit`, { connection: "close" });
}

/**
 * The body, or a refusal. A sender that hangs up mid-body is not a fault of ours: it becomes a
 * `client_aborted` refusal, which the access log records once, at info, without a stack (there is
 * nobody left to answer). Any other failure to read is ours and stays an error.
 */
export async function readBody(request: Request, limit: number): Promise<Uint8Array> {
  try {
    return await readWithinLimit(request, limit);
  } catch (error) {
    if (error instanceof HttpError || !clientHungUp(request, error)) throw error;
    throw new HttpError(CLIENT_CLOSED_REQUEST, "client_aborted", "the client closed the connection before its body arrived");
  }
}

/*
 * @hono/node-server aborts the request's signal once the connection closes before the response is
 * sent; Node's own error for a body cut short is `aborted` with code ECONNRESET. Either one says
 * the client went away, whichever is seen first.
 */
function clientHungUp(request: Request, error: unknown): boolean {
  return request.signal.aborted || (error as { code?: unknown } | null)?.code === "ECONNRESET";
}

async function readWithinLimit(request: Request, limit: number): Promise<Uint8Array> {
  const declared = request.headers.get("content-length");
  if (declared !== null) {
    if (!/^\d{1,15}$/.test(declared)) throw new HttpError(400, "invalid_content_length", "Content-Length is not a number");
    if (Number(declared) > limit) throw payloadTooLarge(limit);
    // HTTP framing stops the server at the declared length, so buffering it is bounded.
    return new Uint8Array(await request.arrayBuffer());
  }
  if (!request.body) return new Uint8Array(0);

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      // Cancelling would destroy the socket before the 413 is written; leave the rest unread.
      reader.releaseLock();
      throw payloadTooLarge(limit);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
