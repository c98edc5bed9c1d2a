import Stripe from "stripe";
import { z } from "zod";
import { StripeWebhookError } from "./webhook-error.ts";

/** Stripe's own default: a signature older than five minutes is refused as a possible replay. */
export const STRIPE_SIGNATURE_TOLERANCE_SECONDS = 300;

export interface VerifyStripeWebhookInput {
  /** The raw request body, exactly as received: any re-serialisation breaks the signature. */
  payload: string | Uint8Array;
  signatureHeader: string | undefined | null;
  /** Every currently valid endpoint secret (rotation keeps the old one alive for a while; Connect adds one). */
  secrets: readonly string[];
  /** When the request arrived; the caller's Clock, so tests can age a signature without sleeping. */
  receivedAt: Date;
  toleranceSeconds?: number;
}

/** The part of an event that ingestion relies on; the rest is stored as Stripe sent it. */
export interface StripeEventEnvelope {
  id: string;
  type: string;
  created?: number;
  livemode?: boolean;
  account?: string;
  [key: string]: unknown;
}

const envelope = z.looseObject({
  id: z.string().min(1).max(255),
  type: z.string().min(1).max(255),
  object: z.literal("event").optional(),
  created: z.number().int().optional(),
  livemode: z.boolean().optional(),
  account: z.string().optional(),
});

const decoder = new TextDecoder("utf-8");

/**
 * Verifies a webhook with the Stripe SDK against each secret in turn and returns the parsed event.
 * The SDK checks the signature before the timestamp, so an expired error means the signature was
 * valid under that secret: we report expiry only then, and a mismatch otherwise.
 */
export function verifyStripeWebhook(input: VerifyStripeWebhookInput): StripeEventEnvelope {
  const header = input.signatureHeader?.trim();
  if (!header) throw new StripeWebhookError("signature_missing", "missing Stripe-Signature header");
  if (input.secrets.length === 0) throw new Error("verifyStripeWebhook: no webhook secrets configured");
  if (!wellFormed(header)) {
    throw new StripeWebhookError("signature_malformed", "Stripe-Signature header must carry t=<unix time> and v1=<hex signature>");
  }

  const body = typeof input.payload === "string" ? input.payload : decoder.decode(input.payload);
  const tolerance = input.toleranceSeconds ?? STRIPE_SIGNATURE_TOLERANCE_SECONDS;
  const receivedAtMs = input.receivedAt.getTime();

  let expired = false;
  let verified = false;
  for (const secret of input.secrets) {
    try {
      Stripe.webhooks.signature!.verifyHeader(body, header, secret, tolerance, undefined, receivedAtMs);
      verified = true;
      break;
    } catch (error) {
      const message = error instanceof Error ? error.message : "";
      if (message.startsWith("Unable to extract timestamp") || message.startsWith("No signatures found with expected scheme")) {
        throw new StripeWebhookError("signature_malformed", "Stripe-Signature header must carry t=<unix time> and v1=<hex signature>");
      }
      if (message.startsWith("No webhook payload")) throw new StripeWebhookError("invalid_json", "empty body");
      if (message === "Timestamp outside the tolerance zone") expired = true;
    }
  }
  if (!verified) {
    if (expired) {
      throw new StripeWebhookError("signature_expired", `signature timestamp is more than ${tolerance}s old`);
    }
    throw new StripeWebhookError("signature_mismatch", "no signature matches the body under any configured secret");
  }

  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new StripeWebhookError("invalid_json", "body is not valid JSON");
  }
  const parsed = envelope.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new StripeWebhookError("invalid_event", `not a Stripe event: ${first?.path.join(".") || "body"}: ${first?.message ?? "invalid"}`);
  }
  return parsed.data as StripeEventEnvelope;
}

/** `t=<digits>` once and at least one `v1=<hex>`; other schemes (v0) may ride along. The SDK would read `t=abc` as NaN and report a mismatch. */
function wellFormed(header: string): boolean {
  let timestamps = 0;
  let v1 = 0;
  for (const part of header.split(",")) {
    const eq = part.indexOf("=");
    const key = part.slice(0, eq);
    const value = part.slice(eq + 1);
    if (key === "t") {
      if (!/^\d{1,12}$/.test(value)) return false;
      timestamps++;
    } else if (key === "v1") {
      if (!/^[0-9a-f]{1,256}$/i.test(value)) return false;
      v1++;
    }
  }
  return timestamps === 1 && v1 > 0;
}

/** A `Stripe-Signature` header for `payload`, made by the SDK: what Stripe itself would send. */
export function signStripePayload(payload: string, secret: string, timestampSeconds: number): string {
  return Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: timestampSeconds });
}
