import { describe, expect, it } from "vitest";
import { loadTaskCatalog } from "@paycron/runtime/catalog";
import { bannerTasks, formatDevBanner } from "../src/dev-banner.ts";

describe("pnpm dev's start banner", () => {
  it("lists every task, each cron with its next slot in its timezone, and masks only the secrets that came from the environment", async () => {
    const now = new Date("2026-12-03T06:51:35Z");
    const tasks = bannerTasks(await loadTaskCatalog(), now);
    expect(tasks.find((t) => t.id === "outbox-sweep")?.schedule).toEqual({ cron: "* * * * *", timezone: "UTC", next: new Date("2026-12-03T06:52:00Z") });
    expect(tasks.find((t) => t.id === "daily-cron")?.schedule?.next).toEqual(new Date("2026-12-04T00:10:00Z"));
    expect(tasks.find((t) => t.id === "hourly-cron")?.schedule?.next).toEqual(new Date("2026-12-03T07:00:00Z"));
    expect(tasks.find((t) => t.id === "stripe-charge-refunded")).toEqual({ id: "stripe-charge-refunded", group: "stripe", schedule: undefined });

    const banner = formatDevBanner(
      {
        webhookUrl: "http://127.0.0.1:3000",
        dashboardUrl: "http://127.0.0.1:3000/dashboard",
        database: { url: "postgres://postgres:postgres@127.0.0.1:5432/postgres", source: "embedded (.paycron/postgres/data)", embedded: true },
        engine: "local",
        secrets: { stripe: [{ value: "whsec_from_listen_abcd", dev: false }, { value: "whsec_dev_0123", dev: true }], supabase: { value: "s".repeat(48), dev: true } },
        tasks,
        startupMs: 1234,
      },
      now,
    );
    expect(banner).toContain("Paycron dev is up (1.2 s). Ctrl-C stops it.");
    expect(banner).toContain("http://127.0.0.1:3000/webhooks/stripe");
    expect(banner).toMatch(/\n {2}Dashboard +http:\/\/127\.0\.0\.1:3000\/dashboard\n/);
    expect(banner).toContain("postgres://postgres:postgres@127.0.0.1:5432/postgres");
    expect(banner).toMatch(/Stripe {4}whsec_…abcd {2}\(STRIPE_WEBHOOK_SECRETS\)\n +whsec_dev_0123 {2}\(dev\)/);
    expect(banner).not.toContain("whsec_from_listen");
    expect(banner).toMatch(/outbox-sweep +\* \* \* \* \* UTC +next 2026-12-03 06:52:00Z \(in 25 s\)/);
    expect(banner).toMatch(/daily-cron +10 0 \* \* \* UTC +next 2026-12-04 00:10:00Z \(in 17 h 18 min\)/);
    expect(banner).toMatch(/stripe \(10\): charge-dispute-created, charge-refunded,/);
    expect(banner).toMatch(/supabase \(4\): customers-insert,/);

    const external = formatDevBanner(
      {
        webhookUrl: "http://127.0.0.1:3000",
        database: { url: "postgres://me:s3cret@db.example.com:5432/app", source: "DATABASE_URL", embedded: false },
        engine: "trigger",
        secrets: { stripe: [], supabase: { value: "x", dev: false } },
        tasks: [],
        startupMs: 0,
      },
      now,
    );
    expect(external).toContain("postgres://me:***@db.example.com:5432/app");
    expect(external).not.toContain("s3cret");
    expect(external).toContain("0 on Trigger.dev (PAYCRON_ENGINE=trigger)");
  });

  it("says which Stripe the tasks call: dev's emulator, the one at STRIPE_API_URL, or the real one with its key masked", () => {
    const now = new Date("2026-12-03T06:51:35Z");
    const banner = (stripe: Parameters<typeof formatDevBanner>[0]["stripe"]) =>
      formatDevBanner(
        {
          webhookUrl: "http://127.0.0.1:3000",
          database: { url: "postgres://postgres:postgres@127.0.0.1:5432/postgres", source: "embedded", embedded: true },
          engine: "local",
          secrets: { stripe: [{ value: "whsec_dev_0123", dev: true }], supabase: { value: "s".repeat(48), dev: true } },
          tasks: [],
          startupMs: 0,
          stripe,
        },
        now,
      );
    expect(banner({ kind: "emulator", url: "http://127.0.0.1:41234" })).toMatch(/\n {2}Stripe {4}http:\/\/127\.0\.0\.1:41234 \(emulator\)\n/);
    expect(banner({ kind: "url", url: "http://127.0.0.1:12111" })).toMatch(/\n {2}Stripe {4}http:\/\/127\.0\.0\.1:12111 \(emulator at STRIPE_API_URL\)\n/);
    const real = banner({ kind: "stripe", secretKey: "sk_test_51Secret0000wxyz" });
    expect(real).toMatch(/\n {2}Stripe {4}api\.stripe\.com with sk_test_…wxyz {2}\(STRIPE_SECRET_KEY\)\n/);
    expect(real).not.toContain("51Secret");
  });
});
