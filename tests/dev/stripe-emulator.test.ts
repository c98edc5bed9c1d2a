import { spawn } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it, onTestFinished } from "vitest";
import { createLocalStripeClient } from "@paycron/stripe";
import { cleanEnv, cliArgs, interrupt, startDev, tempDir, waitFor } from "./support.ts";

const dataDir = tempDir("paycron-dev-stripe-test-");
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("pnpm dev's Stripe emulator", () => {
  it(
    "without STRIPE_SECRET_KEY dev runs an emulator: a payment through the real SDK comes back as its signed payment_intent.succeeded webhook, stored by the dev app, whose task run completes",
    { timeout: 180_000 },
    async () => {
      const dev = await startDev({ dataDir });
      const banner = /\n {2}Stripe {4}(http:\/\/127\.0\.0\.1:\d+) \(emulator\)\n/.exec(dev.output());
      expect(banner, dev.output()).not.toBeNull();
      const state = JSON.parse(readFileSync(join(dataDir, "dev.json"), "utf8")) as { stripeApiUrl?: string; databaseUrl: string };
      expect(state.stripeApiUrl).toBe(banner![1]);

      const stripe = createLocalStripeClient(state.stripeApiUrl!);
      const customer = await stripe.customers.create({ email: "dev@example.com" });
      const intent = await stripe.paymentIntents.create({
        amount: 2500,
        currency: "eur",
        customer: customer.id,
        payment_method: "pm_card_visa",
        confirm: true,
        off_session: true,
      });
      expect(intent.status).toBe("succeeded");

      const client = new pg.Client({ connectionString: state.databaseUrl });
      await client.connect();
      try {
        // Stored only if its Stripe-Signature verified against the dev app's secret.
        const event = await waitFor(
          "the emulator's payment_intent.succeeded in webhook_events",
          async () =>
            (
              await client.query<{ provider_event_id: string }>(
                "select provider_event_id from webhook_events where provider = 'stripe' and type = 'payment_intent.succeeded' and payload->'data'->'object'->>'id' = $1",
                [intent.id],
              )
            ).rows[0],
          60_000,
        );
        await waitFor(
          "its task run",
          async () =>
            (
              await client.query<{ status: string }>("select status from task_runs where task_id = 'stripe-payment-intent-succeeded' and idempotency_key = $1", [
                `stripe:${event.provider_event_id}`,
              ])
            ).rows.find((r) => r.status === "completed"),
          60_000,
        );
      } finally {
        await client.end();
      }

      const ended = await interrupt(dev);
      expect(ended, dev.output()).toEqual({ code: 0, signal: null });
      // Stopped before the webhook app it posts to (and after the relay, started after it).
      const stopped = [...dev.output().matchAll(/"component":"([^"]+)","msg":"stopped"/g)].map((m) => m[1]);
      expect(stopped).toEqual(["supabase relay", "stripe emulator", "webhooks", "runtime (local)", "database"]);
    },
  );

  it("with STRIPE_SECRET_KEY dev starts no emulator and says it uses the real Stripe, key masked", { timeout: 180_000 }, async () => {
    const dev = await startDev({ dataDir, env: { STRIPE_SECRET_KEY: "sk_test_devkey_not_real_9876" } });
    expect(dev.output()).toMatch(/\n {2}Stripe {4}api\.stripe\.com with sk_test_…9876 {2}\(STRIPE_SECRET_KEY\)\n/);
    expect(dev.output()).not.toContain("devkey_not_real");
    expect(dev.output()).not.toContain("stripe emulator listening");
    const state = JSON.parse(readFileSync(join(dataDir, "dev.json"), "utf8")) as { stripeApiUrl?: string };
    expect(state.stripeApiUrl).toBeUndefined();
    expect(await interrupt(dev), dev.output()).toEqual({ code: 0, signal: null });
  });
});

describe("pnpm paycron stripe-emulator", () => {
  it("runs standalone, printing its URL; the real SDK pays with pm_card_visa there; Ctrl-C exits 0", { timeout: 60_000 }, async () => {
    const child = spawn(process.execPath, [...cliArgs, "stripe-emulator", "--port", "0"], { cwd: tmpdir(), env: cleanEnv({}), stdio: ["ignore", "pipe", "pipe"] });
    onTestFinished(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    });
    let output = "";
    child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once("exit", (code, signal) => r({ code, signal })));

    const url = await waitFor("its URL", async () => /Stripe emulator on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1]);
    const stripe = createLocalStripeClient(url);
    const customer = await stripe.customers.create({ email: "standalone@example.com" });
    const intent = await stripe.paymentIntents.create({ amount: 990, currency: "usd", customer: customer.id, payment_method: "pm_card_visa", confirm: true, off_session: true });
    expect(intent).toMatchObject({ status: "succeeded", amount_received: 990 });
    expect((await stripe.customers.retrieve(customer.id)).id).toBe(customer.id);

    child.kill("SIGINT");
    expect(await exited, output).toEqual({ code: 0, signal: null });
  });
});
