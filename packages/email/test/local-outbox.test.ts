import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger, TestClock } from "@paycron/core";
import { useTestDb } from "@paycron/db/testing";
import { createEmailTransport, emailKey, sendEmail } from "../src/index.ts";
import { depsWith, FROM, receipt, REFERENCE_TIME } from "./support.ts";

describe("the local outbox (no RESEND_API_KEY)", () => {
  const t = useTestDb();
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "paycron-email-"));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  const transport = () => createEmailTransport({ resendApiKey: "", from: FROM, dataDir, clock: new TestClock(REFERENCE_TIME), logger: silentLogger() });

  it("is chosen when no key is set, stores the email in email_deliveries and writes it as .eml and .html", async () => {
    const outbox = transport();
    expect(outbox.kind).toBe("local-outbox");
    const key = emailKey("payment-receipt", "inv_local", "pay_local");
    const { delivery, outcome } = await sendEmail(depsWith(t.db, outbox), { ...receipt(key), locale: "fr-FR" });
    expect(outcome).toBe("sent");
    expect(delivery).toMatchObject({ status: "sent", recipient: "ada@example.com" });
    // Intl puts a no-break space between amount and currency.
    expect(delivery.subject.replace(/\u00a0/g, " ")).toBe("Reçu de votre paiement à Acme Analytics : 49,00 $US");
    expect(delivery.provider_message_id).toMatch(/^local_[0-9a-f]{32}$/);
    expect(delivery.html).toContain("Télécharger votre reçu");
    expect(delivery.text).toContain("Télécharger votre reçu");

    const files = (await readdir(join(dataDir, "emails"))).sort();
    expect(files).toHaveLength(2);
    const [eml, html] = files as [string, string];
    expect(eml).toMatch(/^payment-receipt-[0-9a-f]{32}\.eml$/);
    expect(await readFile(join(dataDir, "emails", html), "utf8")).toBe(delivery.html);
    const message = await readFile(join(dataDir, "emails", eml), "utf8");
    expect(message).toContain(`From: ${FROM}\r\nTo: ada@example.com\r\n`);
    expect(message).toContain(`Subject: =?UTF-8?B?${Buffer.from(delivery.subject).toString("base64")}?=`);
    expect(message).toContain("Date: Fri, 15 Jan 2027 09:00:00 GMT");
    expect(message).toContain(`X-Paycron-Idempotency-Key: ${key}`);
    const parts = [...message.matchAll(/Content-Type: (text\/\w+); charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n([A-Za-z0-9+/=\r\n]+)/g)];
    expect(parts.map((p) => p[1])).toEqual(["text/plain", "text/html"]);
    expect(Buffer.from(parts[0]![2]!.replace(/\r\n/g, ""), "base64").toString("utf8")).toBe(delivery.text);
  });

  it("writes one file pair for duplicate concurrent sends with one key", async () => {
    const key = emailKey("welcome", "cus_local", "signup");
    const input = { template: "welcome" as const, props: { organizationName: "Acme", accountUrl: "https://acme.example/account" }, locale: "en-US", to: "bo@example.com", idempotencyKey: key };
    const outbox = transport();
    const results = await Promise.all(Array.from({ length: 5 }, () => sendEmail(depsWith(t.db, outbox), input)));
    expect(new Set(results.map((r) => r.delivery.provider_message_id)).size).toBe(1);
    const files = (await readdir(join(dataDir, "emails"))).filter((f) => f.startsWith("welcome-"));
    expect(files).toHaveLength(2);
    expect(files.every((f) => !f.endsWith(".tmp"))).toBe(true);
  });
});
