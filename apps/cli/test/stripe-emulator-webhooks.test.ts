import { afterEach, describe, expect, it } from "vitest";
import { silentLogger } from "@paycron/core";
import { freePort } from "@paycron/db/embedded";
import { useTestDb, waitFor } from "@paycron/db/testing";
import { createLocalStripeClient } from "@paycron/stripe";
import type { StripeEmulator } from "@paycron/stripe-emulator";
import { loadWebhookConfig, startWebhookServer, type WebhookServer } from "@paycron/webhooks";
import { startLocalStripeEmulator } from "../src/local-providers.ts";

const t = useTestDb();
// Rotation, as the app is configured in dev with STRIPE_WEBHOOK_SECRETS: the emulator signs with the first.
const SECRETS = ["whsec_emulator_first_0123456789", "whsec_emulator_second_0123456789"];
const config = () => loadWebhookConfig({ STRIPE_WEBHOOK_SECRETS: SECRETS.join(","), SUPABASE_WEBHOOK_SECRET: "supabase-emulator-test-secret" });

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startServer(port = 0): Promise<WebhookServer> {
  const server = await startWebhookServer({ db: t.db, config: config(), logger: silentLogger(), port, hostname: "127.0.0.1" });
  cleanups.push(() => server.close());
  return server;
}

/** As pnpm dev starts it; each test's with its own id seed, since the file's tests share one database. */
async function emulatorPostingTo(idSeed: string, url: string, secret: string): Promise<StripeEmulator> {
  const emulator = await startLocalStripeEmulator({ idSeed, webhook: { url, secret } });
  cleanups.push(() => emulator.stop());
  return emulator;
}

async function payWithVisa(emulator: StripeEmulator) {
  const stripe = createLocalStripeClient(emulator.url);
  const customer = await stripe.customers.create({ email: "emulator@example.com" });
  const intent = await stripe.paymentIntents.create({
    amount: 4200,
    currency: "eur",
    customer: customer.id,
    payment_method: "pm_card_visa",
    confirm: true,
    off_session: true,
  });
  expect(intent.status).toBe("succeeded");
  return intent;
}

const stored = (idSeed: string) =>
  t.db.selectFrom("webhook_events").select(["provider_event_id", "type"]).where("provider", "=", "stripe").where("provider_event_id", "like", `evt_${idSeed}%`).execute();

describe("the Stripe emulator's webhooks and the real webhook app", () => {
  it("every event the emulator signs (with the first of the app's secrets) is verified and stored by the app, once", { timeout: 60_000 }, async () => {
    const server = await startServer();
    const emulator = await emulatorPostingTo("signed", `${server.url}/webhooks/stripe`, SECRETS[0]!);
    const intent = await payWithVisa(emulator);
    await emulator.webhooksIdle();

    const deliveries = emulator.webhookDeliveries();
    expect(deliveries.map((d) => d.type)).toEqual(expect.arrayContaining(["customer.created", "payment_intent.created", "payment_intent.succeeded", "charge.succeeded"]));
    for (const delivery of deliveries) expect(delivery, delivery.type).toMatchObject({ status: "delivered", attempts: [{ status: 200 }] });
    const rows = await stored("signed");
    expect(rows.map((r) => r.provider_event_id).sort()).toEqual(deliveries.map((d) => d.eventId).sort());
    const succeeded = emulator.events().find((e) => e.type === "payment_intent.succeeded");
    expect((succeeded as { data: { object: { id: string } } }).data.object.id).toBe(intent.id);
    expect(rows).toContainEqual({ provider_event_id: succeeded!.id, type: "payment_intent.succeeded" });
  });

  it("a secret the app does not know is refused (400) and nothing is stored: the acceptance above is the signature's", { timeout: 60_000 }, async () => {
    const server = await startServer();
    const emulator = await emulatorPostingTo("unknown", `${server.url}/webhooks/stripe`, "whsec_not_the_apps_0123456789");
    await payWithVisa(emulator);
    // Its retries would go on for minutes: the first refusal of the first event of each object is enough.
    await waitFor(async () => {
      const customer = emulator.webhookDeliveries().find((d) => d.type === "customer.created");
      const intent = emulator.webhookDeliveries().find((d) => d.type === "payment_intent.created");
      return Boolean(customer?.attempts.length && intent?.attempts.length);
    }, "first delivery attempts", 10_000);
    for (const type of ["customer.created", "payment_intent.created"]) {
      expect(emulator.webhookDeliveries().find((d) => d.type === type)!.attempts[0], type).toEqual({ status: 400 });
    }
    expect(await stored("unknown")).toEqual([]);
  });

  it("as pnpm dev runs it, a webhook app that comes up seconds late still gets every event (the emulator's default gives up after ~3 s)", { timeout: 60_000 }, async () => {
    const port = await freePort();
    const emulator = await emulatorPostingTo("late", `http://127.0.0.1:${port}/webhooks/stripe`, SECRETS[0]!);
    await payWithVisa(emulator);
    await new Promise((r) => setTimeout(r, 4_000));
    await startServer(port);
    await emulator.webhooksIdle();
    const deliveries = emulator.webhookDeliveries();
    for (const delivery of deliveries) expect(delivery.status, delivery.type).toBe("delivered");
    // Refused connections first (events about one object wait for each other, so later ones may not have tried).
    const customerCreated = deliveries.find((d) => d.type === "customer.created")!;
    expect(customerCreated.attempts[0]).toMatchObject({ status: null });
    expect(customerCreated.attempts.at(-1)).toEqual({ status: 200 });
    expect((await stored("late")).map((r) => r.provider_event_id).sort()).toEqual(deliveries.map((d) => d.eventId).sort());
  });
});
