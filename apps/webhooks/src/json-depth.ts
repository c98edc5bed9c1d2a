import { HttpError } from "./http-error.ts";

/**
 * The deepest nesting of objects and arrays a webhook body may have. Stripe's events nest a
 * handful of levels (event → data → object → an expanded list → its items → their price: under
 * ten), and a Supabase row is its columns plus whatever its jsonb values hold. 64 leaves room for
 * any real payload and stays far below the depth where recursive work on the value overflows the
 * stack (JSON.stringify on the way to storage gives up near 4,000 levels). A body that deep can
 * never be stored, so it gets a final 4xx, never a 503 that the sender would retry for days.
 */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/**
 * Whether the JSON text nests objects and arrays deeper than `max`, found by one pass over the
 * raw bytes with no recursion, so that input of any depth costs O(n) and no stack. Brackets
 * inside strings do not count; a backslash escapes the next byte. Scanning UTF-8 bytes is exact:
 * every byte of a multi-byte character is ≥ 0x80, so none is mistaken for `"`, `\`, `[` or `{`.
 * Malformed JSON may be counted oddly; the parser refuses it anyway.
 */
export function jsonDepthExceeds(body: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (const byte of body) {
    if (inString) {
      if (escaped) escaped = false;
      else if (byte === BACKSLASH) escaped = true;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if (++depth > max) return true;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}

/** Refuses a body nested deeper than MAX_JSON_DEPTH: 400, since no retry of the same bytes can pass. */
export function assertJsonDepth(body: Uint8Array): void {
  if (jsonDepthExceeds(body, MAX_JSON_DEPTH)) {
    throw new HttpError(400, "payload_too_deep", `body nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep`);
  }
}
