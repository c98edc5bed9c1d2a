import { describe, expect, it } from "vitest";
import { loadWebhookConfig, WebhookConfigError } from "../src/config.ts";

/** The error `fn` throws; a call that returns fails the test here, outside any catch. */
function thrownBy(fn: () => unknown): Error {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  if (!(thrown instanceof Error)) throw new Error(`expected an Error to be thrown, got ${String(thrown)}`);
  return thrown;
}

const valid = { STRIPE_WEBHOOK_SECRETS: "whsec_new, whsec_old", SUPABASE_WEBHOOK_SECRET: "0123456789abcdef0123" };

describe("loadWebhookConfig", () => {
  it("parses secrets, and defaults the rest (1 MiB body limit, 300 s tolerance, no rate limit)", () => {
    expect(loadWebhookConfig(valid)).toEqual({
      port: 3000,
      host: "0.0.0.0",
      stripeWebhookSecrets: ["whsec_new", "whsec_old"],
      stripeToleranceSeconds: 300,
      supabaseWebhookSecret: "0123456789abcdef0123",
      bodyLimitBytes: 1_048_576,
      rateLimit: null,
    });
  });

  it.each([
    [{ SUPABASE_WEBHOOK_SECRET: valid.SUPABASE_WEBHOOK_SECRET }, /STRIPE_WEBHOOK_SECRETS: STRIPE_WEBHOOK_SECRETS is required/],
    [{ ...valid, STRIPE_WEBHOOK_SECRETS: " , " }, /STRIPE_WEBHOOK_SECRETS: STRIPE_WEBHOOK_SECRETS is empty/],
    [{ ...valid, STRIPE_WEBHOOK_SECRETS: "sk_test_123" }, /STRIPE_WEBHOOK_SECRETS\.0: each secret starts with whsec_/],
    [{ STRIPE_WEBHOOK_SECRETS: "whsec_x" }, /SUPABASE_WEBHOOK_SECRET: SUPABASE_WEBHOOK_SECRET is required/],
    [{ ...valid, SUPABASE_WEBHOOK_SECRET: "short" }, /SUPABASE_WEBHOOK_SECRET: .*at least 16 characters/],
    [{ ...valid, WEBHOOK_BODY_LIMIT_BYTES: "lots" }, /WEBHOOK_BODY_LIMIT_BYTES/],
    [{ ...valid, PORT: "70000" }, /PORT/],
  ])("refuses to start with a message naming the variable (%#)", (env, message) => {
    expect(() => loadWebhookConfig(env)).toThrow(WebhookConfigError);
    expect(() => loadWebhookConfig(env)).toThrow(message);
  });

  it("never echoes a secret in its error", () => {
    const env = { STRIPE_WEBHOOK_SECRETS: "sk_live_leaked", SUPABASE_WEBHOOK_SECRET: "tooshort-secret" };
    const error = thrownBy(() => loadWebhookConfig(env));
    expect(error).toBeInstanceOf(WebhookConfigError);
    const { message } = error;
    expect(message).toMatch(/STRIPE_WEBHOOK_SECRETS\.0: each secret starts with whsec_/);
    expect(message).toMatch(/SUPABASE_WEBHOOK_SECRET: .*at least 16 characters/);
    expect(message).not.toContain("sk_live_leaked");
    expect(message).not.toContain("tooshort-secret");
  });

  it("turns rate limiting on per source when a rate is set, with a burst of twice the rate by default", () => {
    expect(loadWebhookConfig({ ...valid, WEBHOOK_RATE_LIMIT_PER_SECOND: "50" }).rateLimit).toEqual({ perSecond: 50, burst: 100 });
  });
});
