import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "@paycron/core";
import { useTestDb } from "@paycron/db/testing";
import { startStripeEmulator, type StripeEmulator } from "@paycron/stripe-emulator";
import { paycron as runPaycron } from "../support/paycron-cli.ts";

const t = useTestDb();
let emulator: StripeEmulator;
/** Runs the CLI with STRIPE_API_URL at the test's emulator, or with no Stripe at all (null). */
const paycron = (args: string[], stripeApiUrl: string | null = emulator.url) => {
  const saved = process.env.STRIPE_API_URL;
  if (stripeApiUrl) process.env.STRIPE_API_URL = stripeApiUrl;
  else delete process.env.STRIPE_API_URL;
  try {
    return runPaycron(t.url, args);
  } finally {
    if (saved === undefined) delete process.env.STRIPE_API_URL;
    else process.env.STRIPE_API_URL = saved;
  }
};

beforeAll(async () => {
  emulator = await startStripeEmulator({ clock: systemClock });
});
afterAll(() => emulator?.stop());

describe("pnpm paycron subscribe", () => {
  it("signs a customer up with test cards at Stripe and hands the first charge to the engine", async () => {
    expect((await paycron(["seed"])).code).toBe(0);
    const result = await paycron(["subscribe", "Pro (monthly)", "--email", "ada@example.test", "--card", "pm_card_chargeCustomerFail", "--card", "pm_card_visa", "--quantity", "2"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const id = /^subscription ([0-9a-f-]{36}) incomplete {2}Pro \(monthly\) × 2 {2}customer [0-9a-f-]{36} \((cus_\w+)\)$/m.exec(result.stdout);
    expect(id).not.toBeNull();
    expect(result.stdout).toMatch(/^first billing run [0-9a-f-]{36} due \S+; a running engine \(pnpm dev\) runs it$/m);

    const subscription = await t.db.selectFrom("subscriptions").selectAll().where("id", "=", id![1]!).executeTakeFirstOrThrow();
    const methods = await t.db.selectFrom("payment_methods").select(["id", "is_default", "last4"]).where("customer_id", "=", subscription.customer_id).orderBy("created_at").execute();
    expect(methods.map((m) => [m.is_default, m.last4])).toEqual([
      [true, "0341"],
      [false, "4242"],
    ]);
    expect(subscription).toMatchObject({ default_payment_method_id: methods[0]!.id, backup_payment_method_id: methods[1]!.id });
    expect(emulator.customers().map((c) => c.id)).toContain(id![2]);
    const outbox = await t.db.selectFrom("task_outbox").select("payload").where("task_id", "=", "billing-run").execute();
    expect(outbox).toHaveLength(1);
  }, 60_000);

  it("refuses an unknown price, a bad quantity or email, and a machine with no Stripe, and says why", async () => {
    const [unknown, quantity, email, noStripe] = await Promise.all([
      paycron(["subscribe", "Platinum"]),
      paycron(["subscribe", "Pro (monthly)", "--quantity", "0"]),
      paycron(["subscribe", "Pro (monthly)", "--email", "nobody"]),
      paycron(["subscribe", "Pro (monthly)"], null),
    ]);
    expect([unknown.code, quantity.code, email.code, noStripe.code]).toEqual([1, 1, 1, 1]);
    expect(unknown.stderr).toContain('paycron: no active price "Platinum"; prices: "Pro (monthly)", "Starter (weekly)", "Team (yearly)"');
    expect(quantity.stderr).toContain('--quantity must be a positive integer, got "0"');
    expect(email.stderr).toContain('--email must be an email address, got "nobody"');
    expect(noStripe.stderr).toContain("subscribe needs Stripe: run it beside pnpm dev");
  }, 60_000);
});
